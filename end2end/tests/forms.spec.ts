// The forms a shop owner fixes the box with, with JavaScript on and off.
import * as fs from 'node:fs';
import { CONNECTED, DEMO_CREDENTIAL, Page, settingsFile, eventually, expect, forgetCertificate, removeSettings, setFault, test, writeSettings } from './box';

test.beforeEach(async () => {
  removeSettings();
  await setFault('none');
});
test.afterEach(() => removeSettings());

const settingsText = () => (fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : '');
const banner = (page: Page) => page.getByTestId('banner');

test('connecting to an Odoo server, refusing a bad address, and disconnecting', async ({ page, javaScriptEnabled }) => {
  forgetCertificate();
  await page.goto('/?advanced');
  const address = page.getByLabel('Server address');
  await address.fill('mycompany.odoo.com');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('server_url-message')).toContainText('full address');
  await expect(page.getByLabel('Server address')).toHaveAttribute('aria-invalid', 'true');
  expect(settingsText()).toBe('');

  await page.getByLabel('Server address').fill('https://mycompany.odoo.com');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('https://mycompany.odoo.com/');
  await eventually(page, javaScriptEnabled, () =>
    expect(page.getByTestId('error-code')).toHaveText('ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL', { timeout: 2_000 }),
  );
  expect(settingsText()).toContain('server_url = "https://mycompany.odoo.com/"');
  // The page as served shows what is saved, with or without JavaScript.
  await page.reload();
  await expect(page.getByLabel('Server address')).toHaveValue('https://mycompany.odoo.com/');

  await page.getByRole('button', { name: /^Disconnect/ }).click();
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('Not connected');
  await expect(banner(page)).toContainText('not connected to an Odoo server yet');
});

test('a bad credential is refused next to each field and nothing is saved', async ({ page }) => {
  writeSettings(CONNECTED);
  const before = settingsText();
  await page.goto('/?advanced');
  await page.getByLabel('Database UUID').fill('not-a-uuid');
  await page.getByLabel('Contract number').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('db_uuid-message')).toContainText('not a database UUID');
  await expect(page.getByTestId('contract_number-message')).toContainText('Enter the contract number');
  await expect(page.getByRole('alert').filter({ hasText: 'nothing was saved' })).toBeVisible();
  expect(settingsText()).toBe(before);
});

test('a good credential is saved, shown masked, and brings a certificate at once', async ({ page, javaScriptEnabled }) => {
  writeSettings(CONNECTED);
  forgetCertificate();
  await page.goto('/?advanced');
  await expect(page.getByTestId('error-code')).toHaveText('ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL');
  await page.getByLabel('Database UUID').fill(DEMO_CREDENTIAL.db_uuid);
  await page.getByLabel('Contract number').fill(DEMO_CREDENTIAL.contract_number);
  await page.getByRole('button', { name: 'Save' }).click();
  await eventually(page, javaScriptEnabled, () =>
    expect(banner(page)).toContainText('HTTPS certificate valid until', { timeout: 2_000 }),
  );
  await expect(page.getByTestId('contract_number-message')).toContainText('Saved: ••••••••0001');
  await page.reload();
  await expect(page.getByLabel('Database UUID')).toHaveValue(DEMO_CREDENTIAL.db_uuid);
  await expect(page.getByLabel('Contract number')).toHaveValue('');

  // The contract number never comes back to the browser in full.
  expect(await page.content()).not.toContain(DEMO_CREDENTIAL.contract_number);
  const status = await (await page.request.get('/api/status')).text();
  expect(status).not.toContain(DEMO_CREDENTIAL.contract_number);
  expect(settingsText()).toContain(DEMO_CREDENTIAL.contract_number);

  await page.getByRole('button', { name: 'Clear the credential' }).click();
  await expect(page.getByTestId('contract_number-message')).not.toContainText('Saved');
  expect(settingsText()).not.toContain(DEMO_CREDENTIAL.contract_number);
});

test('the cogs button is remembered across visits', async ({ page }) => {
  // With JavaScript the details show at once, before the answer that sets the cookie.
  const remembered = async () => (await page.context().cookies()).find((c) => c.name === 'iotbox_advanced')?.value;
  await page.goto('/');
  await expect(page.getByTestId('mac-address')).toHaveCount(0);
  await page.getByRole('button', { name: 'Advanced details' }).click();
  await expect(page.getByTestId('mac-address')).toBeVisible();
  await expect.poll(remembered).toBe('1');
  await page.goto('/');
  await expect(page.getByTestId('mac-address')).toBeVisible();
  await page.getByRole('button', { name: 'Advanced details' }).click();
  await expect(page.getByTestId('mac-address')).toHaveCount(0);
  await expect.poll(remembered).toBe('0');
  await page.goto('/');
  await expect(page.getByTestId('mac-address')).toHaveCount(0);
});

test('the pairing token from the IoT app sets the server and the credential in one paste', async ({ page, javaScriptEnabled }) => {
  forgetCertificate();
  await page.goto('/?advanced');
  const address = page.getByLabel('Server address');
  await address.fill(`https://shop.odoo.com|pairing|${DEMO_CREDENTIAL.db_uuid}|`);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('server_url-message')).toContainText("pairing token's credential");
  expect(settingsText()).toBe('');

  const token = `https://shop.odoo.com|pairing|${DEMO_CREDENTIAL.db_uuid}|${DEMO_CREDENTIAL.contract_number}`;
  await page.getByLabel('Server address').fill(token);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('https://shop.odoo.com/');
  const settings = settingsText();
  expect(settings).toContain(`db_uuid = "${DEMO_CREDENTIAL.db_uuid}"`);
  expect(settings).toContain(`contract_number = "${DEMO_CREDENTIAL.contract_number}"`);
  // The credential is tried at once.
  await eventually(page, javaScriptEnabled, () =>
    expect(page.getByTestId('banner')).toContainText('HTTPS certificate valid until', { timeout: 2_000 }),
  );
  // The token carried the contract number: the page shows it masked only.
  expect(await page.content()).not.toContain(DEMO_CREDENTIAL.contract_number);
});

test('a refused value answers 422 to a script, with the message for each field', async ({ request }) => {
  const response = await request.post('/api/credential/save', {
    form: { db_uuid: 'not-a-uuid', contract_number: '' },
    headers: { Accept: 'application/json' },
  });
  expect(response.status()).toBe(422);
  const refusal = await response.json();
  expect(refusal.Fields.map((field: { field: string }) => field.field)).toEqual(['db_uuid', 'contract_number']);
  expect(settingsText()).toBe('');
  const level = await request.post('/api/log-level', { form: { root: 'Verbose', certificate: 'Info', web: 'Info' } });
  expect(level.status()).toBe(422);
});

test('a page that points its own name at the box (DNS rebinding) is refused', async ({ request }) => {
  const response = await request.get('/api/status', { headers: { Host: 'evil.example' } });
  expect(response.status()).toBe(403);
  expect((await request.get('/api/status')).status()).toBe(200);
});

test('a state-changing request from another site is refused', async ({ request }) => {
  const fromElsewhere: Record<string, string>[] = [
    { Origin: 'https://evil.example' },
    { 'Sec-Fetch-Site': 'cross-site' },
  ];
  for (const headers of fromElsewhere) {
    const response = await request.post('/api/credential/clear', { headers });
    expect(response.status()).toBe(403);
  }
  writeSettings(CONNECTED);
  const response = await request.post('/api/odoo-server/disconnect', {
    headers: { Origin: 'https://evil.example' },
  });
  expect(response.status()).toBe(403);
  expect(settingsText()).toBe(CONNECTED);
});
