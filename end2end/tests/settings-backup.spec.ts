// Settings that survive a re-flashed SD card, with JavaScript on and off: the box's settings
// downloaded as one file sealed with a passphrase, and restored with the form on a box that
// has none; a refused file says why and changes nothing; both behind the login.
import * as fs from 'node:fs';
import {
  DEMO_CREDENTIAL,
  Page,
  demoSettings, eventually, expect, removeSettings, settingsFile, test, writeSettings } from './box';

const PASSPHRASE = 'a shop on the corner';

test.beforeEach(() => removeSettings());
test.afterEach(() => removeSettings());

/** Downloads the settings with `passphrase`; the file's text. */
async function download(page: Page, passphrase: string): Promise<string> {
  const form = page.locator('form[action="/api/settings/backup"]');
  await form.getByLabel('Passphrase').fill(passphrase);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    form.getByRole('button', { name: 'Download the settings' }).click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^iotbox-.+-\d{8}-\d{6}-settings\.txt$/);
  return fs.readFileSync(await file.path(), 'utf8');
}

/** Restores `file` (its text) with `passphrase` through the form. */
async function restore(page: Page, file: string, passphrase: string) {
  const form = page.locator('form[action="/api/settings/restore"]');
  await form.getByLabel('Backup file').setInputFiles({ name: 'backup.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
  await form.getByLabel('Passphrase').fill(passphrase);
  await form.getByRole('button', { name: 'Restore these settings' }).click();
}

test('the settings go into one sealed file and come back on a box that has none', async ({ page, javaScriptEnabled }) => {
  writeSettings(demoSettings());
  await page.goto('/?advanced');

  // Too short a passphrase: said next to it, and no file.
  await page.locator('form[action="/api/settings/backup"]').getByLabel('Passphrase').fill('short');
  await page.getByRole('button', { name: 'Download the settings' }).click();
  await expect(page.getByTestId('backup-passphrase-message')).toHaveText('A passphrase has at least 10 characters.');

  const file = await download(page, PASSPHRASE);
  expect(file).toMatch(/^# IoT box settings of ".+", saved \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.\n/);
  expect(file).toContain('iotbox-settings-backup: 1');
  // No secret in clear: the file may sit in a mailbox.
  expect(file).not.toContain(DEMO_CREDENTIAL.contract_number);
  expect(file).not.toContain(DEMO_CREDENTIAL.db_uuid);

  // The SD card is re-flashed: a box with no settings at all.
  removeSettings();
  await page.goto('/?advanced');
  await expect(page.getByTestId('error-code')).toHaveText('ERR_IOT_HTTPS_CHECK_NO_SERVER');

  // Refused files change nothing, and say why next to the field they are about.
  await restore(page, 'just some notes\n', PASSPHRASE);
  await expect(page.getByTestId('file-message')).toHaveText('This file is not an IoT box settings backup. Nothing was changed.');
  await restore(page, file, 'not the passphrase');
  await expect(page.getByTestId('restore-passphrase-message')).toContainText('This is not the backup\'s passphrase');
  await restore(page, file.replace('iotbox-settings-backup: 1', 'iotbox-settings-backup: 9'), PASSPHRASE);
  await expect(page.getByTestId('file-message')).toContainText('newer version of the box');
  expect(fs.existsSync(settingsFile())).toBe(false);

  await restore(page, file, PASSPHRASE);
  await expect(page.getByTestId('restore-message')).toContainText('Restored.');
  expect(fs.readFileSync(settingsFile(), 'utf8')).toContain(DEMO_CREDENTIAL.db_uuid);
  // The restored credential is tried at once: the certificate comes without anyone pressing.
  await eventually(page, javaScriptEnabled, () =>
    expect(page.getByTestId('banner')).toContainText('HTTPS certificate valid until', { timeout: 2_000 }),
  );
});

test('the backup and the restore need the login while a password is set', async ({ page, playwright, baseURL }) => {
  writeSettings(demoSettings());
  await page.goto('/?advanced');
  const password = 'correct horse battery';
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('The same password again').fill(password);
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  const file = await download(page, PASSPHRASE);

  const stranger = await playwright.request.newContext({ baseURL });
  expect((await stranger.post('/api/settings/backup', { form: { passphrase: PASSPHRASE } })).status()).toBe(401);
  const upload = { multipart: { passphrase: PASSPHRASE, file: { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from(file) } } };
  expect((await stranger.post('/api/settings/restore', upload)).status()).toBe(401);
  await stranger.dispose();

  // The password hash travels with the rest: a box restored from it guards its changes with
  // the same password.
  removeSettings();
  await page.goto('/?advanced');
  await restore(page, file, PASSPHRASE);
  await expect(page.getByTestId('restore-message')).toContainText('Restored.');
  const status = await (await page.request.get('/api/status')).json();
  expect(status.access.password_set).toBe(true);
  const another = await playwright.request.newContext({ baseURL });
  expect((await another.post('/api/credential/clear')).status()).toBe(401);
  const logIn = await another.post('/api/access/log-in', { form: { password }, headers: { Accept: 'application/json' } });
  expect(logIn.status()).toBe(200);
  await another.dispose();
});
