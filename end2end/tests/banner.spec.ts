// The validity banner for every error code, driven by the local CA's fault switches.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  box,
  CONNECTED,
  DEMO_CREDENTIAL,
  Page,
  demoSettings, eventually, expect, forgetCertificate, removeSettings, setFault, test, writeSettings } from './box';

test.beforeEach(async () => {
  removeSettings();
  await setFault('none');
});
test.afterEach(async () => {
  removeSettings();
  await setFault('none');
});

const code = (page: Page) => page.getByTestId('error-code');

/** Saves the demo credential through the form: the box asks the certificate server at once. */
async function saveCredential(page: Page) {
  await page.goto('/?advanced');
  await page.getByLabel('Database UUID').fill(DEMO_CREDENTIAL.db_uuid);
  await page.getByLabel('Contract number').fill(DEMO_CREDENTIAL.contract_number);
  await page.getByRole('button', { name: 'Save' }).click();
}

test('not connected: said calmly, without an alarm', async ({ page }) => {
  await page.goto('/');
  const banner = page.getByTestId('banner');
  await expect(banner).toHaveAttribute('role', 'status');
  await expect(banner).toContainText('not connected to an Odoo server yet');
  await expect(code(page)).toHaveText('ERR_IOT_HTTPS_CHECK_NO_SERVER');
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Connect to a server' }).click();
  await expect(page.getByLabel('Server address')).toBeVisible();
});

test('no credential: the fix is one click away', async ({ page }) => {
  writeSettings(CONNECTED);
  forgetCertificate();
  await page.goto('/');
  await expect(code(page)).toHaveText('ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL');
  await expect(page.getByTestId('banner')).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('banner')).toContainText('contract number and/or the database UUID');
  await page.getByRole('link', { name: 'Enter the credential' }).click();
  await expect(page.getByLabel('Contract number')).toBeVisible();
});

for (const [fault, expected, explanation] of [
  ['reset', 'ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION', 'network problem'],
  ['status 404', 'ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404', '404, for example, means'],
  ['empty', 'ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT', 'production database'],
]) {
  test(`a certificate server that answers "${fault}" shows ${expected}`, async ({ page, javaScriptEnabled }) => {
    await setFault(fault);
    writeSettings(CONNECTED);
    forgetCertificate();
    await saveCredential(page);
    await eventually(page, javaScriptEnabled, () => expect(code(page)).toHaveText(expected, { timeout: 2_000 }));
    await expect(page.getByTestId('banner')).toContainText(explanation);
    await page.locator('summary', { hasText: 'Details' }).click();
    await expect(page.getByTestId('error-detail')).not.toBeEmpty();
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    if (expected.endsWith('EXCEPTION')) {
      await expect(page.getByTestId('banner').getByRole('link', { name: 'Download logs' })).toHaveAttribute('href', '/api/logs');
    }
  });
}

test('an unreadable certificate is reported, and replaced without anyone pressing a button', async ({ page, javaScriptEnabled }) => {
  // The authority takes 3 s to answer: time to read the report while the box heals.
  await setFault('slow 3s');
  writeSettings(demoSettings());
  forgetCertificate();
  const current = path.join(box().dataDir, 'certificate', 'current');
  fs.mkdirSync(current, { recursive: true });
  fs.writeFileSync(path.join(current, 'cert.pem'), 'not a certificate');
  fs.writeFileSync(path.join(current, 'key.pem'), 'not a key');
  await page.goto('/');
  await expect(code(page)).toHaveText('ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION');
  await page.locator('summary', { hasText: 'Details' }).click();
  await expect(page.getByTestId('error-detail')).toContainText('cert.pem');

  // Nobody presses anything: a box on a failing card may have nobody beside it.
  await eventually(page, javaScriptEnabled, () =>
    expect(page.getByTestId('banner')).toContainText('HTTPS certificate valid until', { timeout: 2_000 }),
  );
  // The unreadable files are kept aside, for whoever wants to look at them.
  const kept = fs.readdirSync(path.join(box().dataDir, 'certificate')).filter((name) => name.startsWith('pair-replaced-'));
  expect(kept.map((name) => fs.readFileSync(path.join(box().dataDir, 'certificate', name, 'cert.pem'), 'utf8'))).toContain('not a certificate');
});

test('while a slow certificate server obtains the certificate, the page says the box waits for it', async ({ page, javaScriptEnabled }) => {
  // The vendor obtains the certificate from its own authority while the box waits.
  await setFault('slow 4s');
  writeSettings(demoSettings());
  forgetCertificate();
  await page.goto('/');
  await eventually(page, javaScriptEnabled, () =>
    expect(page.getByTestId('banner')).toContainText('waiting for the certificate server', { timeout: 2_000 }),
  );
  await eventually(page, javaScriptEnabled, () =>
    expect(page.getByTestId('banner')).toContainText('HTTPS certificate valid until', { timeout: 2_000 }),
  );
});

test('refreshing the page retries, as the documentation says', async ({ page, javaScriptEnabled }) => {
  test.slow();
  await setFault('empty');
  writeSettings(CONNECTED);
  forgetCertificate();
  await saveCredential(page);
  await eventually(page, javaScriptEnabled, () =>
    expect(code(page)).toHaveText('ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT', { timeout: 2_000 }),
  );
  // The subscription is fixed on the vendor's side; the user refreshes the page.
  await setFault('none');
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('banner')).toContainText('HTTPS certificate valid until', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});

test('a certificate that comes already due says when the box asks for a newer one', async ({ page, javaScriptEnabled }) => {
  await setFault('due');
  writeSettings(CONNECTED);
  forgetCertificate();
  await saveCredential(page);
  await eventually(page, javaScriptEnabled, () =>
    expect(page.getByTestId('renewal-deferred')).toContainText('the box asks for a newer one from', { timeout: 2_000 }),
  );
  await expect(page.getByTestId('banner')).toContainText('HTTPS certificate valid until');
  await expect(page.getByTestId('renewal-deferred')).toHaveText(
    // "January 25, 2027", and a time with its zone: UTC as served, the browser's once it runs.
    /^The certificate server gave a certificate valid until [A-Z][a-z]+ \d{1,2}, \d{4}; the box asks for a newer one from [A-Z][a-z]+ \d{1,2}, \d{4}\D+\d{1,2}:\d\d\s?[AP]M (UTC|GMT[+-]?\d*)\.$/,
  );
});
