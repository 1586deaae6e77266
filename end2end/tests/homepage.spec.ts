import * as os from 'node:os';
import { expect, machineNetworkIdentity, removeSettings, test, writeSettings } from './box';

test.afterEach(() => removeSettings());

test('the status is plain JSON at a stable URL, never used from a cache without asking the box', async ({ request }) => {
  const response = await request.get('/api/status');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  expect(response.headers()['cache-control']).toBe('no-cache');
  expect(response.headers()['etag']).toBeTruthy();
  const status = await response.json();
  expect(status.name).toBe(os.hostname());
  expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(status.odoo_server).toBeNull();
  expect(status.poll_interval_ms).toBe(1000);
});

test('the homepage shows the box name, version and state', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(os.hostname());
  await expect(page).toHaveTitle(`${os.hostname()} · IoT Box`);
  await expect(page.getByTestId('version').locator('dd')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('Not connected');
  await expect(page.getByTestId('https-certificate').locator('dd')).not.toBeEmpty();
  // Advanced details stay behind the cogs button.
  await expect(page.getByTestId('ip-address')).toHaveCount(0);
});

test('the cogs button shows the real IP and MAC address, and hides them again', async ({ page }) => {
  const machine = machineNetworkIdentity();
  await page.goto('/');
  const cogs = page.getByRole('button', { name: 'Advanced details' });
  await expect(cogs).toHaveAttribute('aria-expanded', 'false');
  await cogs.click();
  await expect(cogs).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('ip-address').locator('dd')).toHaveText(machine.ip);
  await expect(page.getByTestId('mac-address').locator('dd')).toHaveText(machine.mac);
  await cogs.click();
  await expect(page.getByTestId('ip-address')).toHaveCount(0);
});

test('the cogs button works from the keyboard', async ({ page }) => {
  await page.goto('/');
  const cogs = page.getByRole('button', { name: 'Advanced details' });
  await cogs.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('mac-address')).toBeVisible();
});

test('a change of state shows on the next visit', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('Not connected');
  writeSettings('[odoo]\nserver_url = "https://shop.example.com"\n');
  await page.reload();
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('https://shop.example.com/');
});

test('a malformed settings file is reported and the last good settings are kept', async ({ page }) => {
  writeSettings('[odoo]\nserver_url = "https://shop.example.com"\n');
  await page.goto('/');
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('https://shop.example.com/');
  writeSettings('[odoo]\nserver_url = 42\n');
  await page.reload();
  await expect(page.getByTestId('settings-problem')).toContainText('settings.toml');
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('https://shop.example.com/');
});
