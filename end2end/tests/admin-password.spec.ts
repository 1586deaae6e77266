// The optional admin password, as a shop owner sets and uses it, with JavaScript on and off:
// changes and the logs behind it, the state readable by anyone, wrong passwords slowed down.
import * as fs from 'node:fs';
import * as https from 'node:https';
import { box, CONNECTED, expect, removeSettings, settingsFile, test, writeSettings } from './box';

const PASSWORD = 'correct horse battery';

test.beforeEach(() => removeSettings());
test.afterEach(() => removeSettings());

test('a password keeps changes to those who know it, and the state readable by all', async ({ page, request }) => {
  test.slow();
  writeSettings(CONNECTED);
  await page.goto('/?advanced');
  const setPassword = async (password: string, again: string) => {
    await page.getByLabel('New password').fill(password);
    await page.getByLabel('The same password again').fill(again);
    await page.getByRole('button', { name: /(Set|Change) the password/ }).click();
  };
  await setPassword('too short', 'too short');
  await expect(page.getByTestId('password-message')).toContainText('at least 10 characters');
  await setPassword(PASSWORD, PASSWORD + '!');
  await expect(page.getByTestId('confirmation-message')).toContainText('differ');
  expect(fs.readFileSync(settingsFile(), 'utf8')).not.toContain('password_hash');

  await setPassword(PASSWORD, PASSWORD);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  const settings = fs.readFileSync(settingsFile(), 'utf8');
  expect(settings).toMatch(/password_hash = "\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(settings).not.toContain(PASSWORD);

  // Another device, not logged in: it reads, it does not change.
  expect((await request.post('/api/credential/clear')).status()).toBe(401);
  expect((await request.get('/api/logs')).status()).toBe(401);
  // Its own preferences stay its own to choose.
  const language = await request.post('/api/language', { form: { language: 'it' }, headers: { Accept: 'application/json' } });
  expect(language.status()).toBe(200);
  expect(language.headers()['set-cookie']).toContain('iotbox_language=it');
  const status = await (await request.get('/api/status')).json();
  expect(status.access).toEqual({ password_set: true, logged_in: false });
  expect(status.certificate.error.code).toBe('ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL');

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByLabel('Server address')).toHaveCount(0);
  await expect(page.getByTestId('banner')).toContainText('credential is missing');

  // A wrong password, then another at once: slowed down. The wait doubles with each wrong
  // one (1, 2, 4 s), so two guesses from this device first leave the page's second try 4 s
  // to come "at once", however slow the machine.
  const guess = () => request.post('/api/access/log-in', { form: { password: 'a wrong guess' } });
  await expect.poll(async () => (await guess()).status(), { timeout: 10_000 }).toBe(422);
  await expect.poll(async () => (await guess()).status(), { timeout: 10_000 }).toBe(422);
  await page.waitForTimeout(2_100);
  await page.getByLabel('Admin password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('password-message')).toHaveText('This is not the password.');
  await page.getByLabel('Admin password').fill('not the password either');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('password-message')).toContainText('Too many wrong passwords');

  await page.waitForTimeout(4_100);
  await page.getByLabel('Admin password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByLabel('Server address')).toBeVisible();

  // Changing it needs the current one, not only an open session.
  await page.getByLabel('Current password', { exact: true }).fill('not the current one');
  await page.getByLabel('New password').fill(PASSWORD + ' 2');
  await page.getByLabel('The same password again').fill(PASSWORD + ' 2');
  await page.getByRole('button', { name: 'Change the password' }).click();
  await expect(page.getByTestId('current_password-message')).toHaveText('This is not the current password.');
  expect(fs.readFileSync(settingsFile(), 'utf8')).toBe(settings);

  const logs = await page.request.get('/api/logs');
  expect(logs.status()).toBe(200);
  expect(await logs.text()).not.toContain(PASSWORD);

  // Removing it needs it too: an open session left at the counter is not enough. Each wrong
  // password doubles this device's wait (1 s after the one above, then 2 s).
  await page.waitForTimeout(1_100);
  await page.getByLabel('Current password, to remove it').fill('not the current one');
  await page.getByRole('button', { name: 'Remove the password' }).click();
  await expect(page.getByTestId('password_to_remove-message')).toHaveText('This is not the current password.');
  expect(fs.readFileSync(settingsFile(), 'utf8')).toBe(settings);

  await page.waitForTimeout(2_100);
  await page.getByLabel('Current password, to remove it').fill(PASSWORD);
  await page.getByRole('button', { name: 'Remove the password' }).click();
  await expect(page.getByRole('button', { name: 'Set the password' })).toBeVisible();
  expect(fs.readFileSync(settingsFile(), 'utf8')).not.toContain('password_hash');
  expect((await request.get('/api/logs')).status()).toBe(200);
});

test('a script is told 429 when it guesses too fast', async ({ request }) => {
  const set = await request.post('/api/access/password', { form: { password: PASSWORD, confirmation: PASSWORD } });
  expect(set.status()).toBe(200);
  const guess = () => request.post('/api/access/log-in', { form: { password: 'a wrong guess' } });
  // An earlier test may have left this device waiting: a slowed try does not lengthen it.
  await expect.poll(async () => (await guess()).status(), { timeout: 10_000 }).toBe(422);
  const slowed = await guess();
  expect(slowed.status()).toBe(429);
  expect(Number(slowed.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
  // The right one, once the wait is over, is let in and clears it.
  const right = () => request.post('/api/access/log-in', { form: { password: PASSWORD } });
  await expect.poll(async () => (await right()).status(), { timeout: 10_000 }).toBe(200);
  expect((await guess()).status()).toBe(422);
});

test('the session cookie is HttpOnly and SameSite=Strict; over HTTPS Secure and __Host-', async ({ request }) => {
  const set = await request.post('/api/access/password', { form: { password: PASSWORD, confirmation: PASSWORD } });
  const overHttp = set.headers()['set-cookie'];
  expect(overHttp).toMatch(/^iotbox_session=[0-9a-f]{64}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict$/);

  const logInOverHttps = () => new Promise<string>((resolve, reject) => {
    const body = `password=${encodeURIComponent(PASSWORD)}`;
    const post = https.request(
      {
        host: '127.0.0.1',
        port: box().httpsPort,
        path: '/api/access/log-in',
        method: 'POST',
        rejectUnauthorized: false,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
      },
      (response) => {
        response.resume();
        resolve(String(response.headers['set-cookie']));
      },
    );
    post.on('error', reject);
    post.end(body);
  });
  // An earlier test may have left this device waiting (429, no cookie): try until it is over.
  let overHttps = '';
  await expect
    .poll(async () => (overHttps = await logInOverHttps()), { timeout: 10_000 })
    .not.toBe('undefined');
  expect(overHttps).toMatch(/^__Host-iotbox_session=[0-9a-f]{64}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict; Secure$/);
});
