// One list of what to fix, with JavaScript on and off: every problem at once, its severity,
// its fix and its one click; the certificate server's own words on the banner; the warning
// two weeks before the certificate ends; in the shop owner's language.
import {
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

const repair = (page: Page, kind: string) => page.locator(`[data-testid=repair][data-repair=${kind}]`);

test('a refusal shows the server\'s words beside the checklist, and the list leads to the form', async ({ page, javaScriptEnabled }) => {
  await setFault('refused');
  writeSettings(demoSettings());
  forgetCertificate();
  await page.goto('/');
  await eventually(page, javaScriptEnabled, () =>
    expect(page.getByTestId('server-reason')).toHaveText('The subscription of this database is not in progress', { timeout: 2_000 }),
  );
  const banner = page.getByTestId('banner');
  await expect(banner).toContainText('The certificate server said:');
  await expect(banner).toContainText('Verify that the Odoo subscription is In Progress');
  await expect(page.getByTestId('error-code')).toHaveText('ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT');

  // Every problem at once, the most severe first.
  const items = page.getByTestId('repair');
  await expect(items.first()).toHaveAttribute('data-repair', 'certificate');
  await expect(items.first()).toContainText('Problem');
  await expect(repair(page, 'no_password')).toContainText('No admin password protects this box');
  await repair(page, 'certificate').getByRole('link', { name: 'Open the credential form' }).click();
  await expect(page.getByLabel('Contract number')).toBeVisible();
  await expect(page.getByLabel('Database UUID')).toHaveValue(DEMO_CREDENTIAL.db_uuid);
});

test('two weeks before the end, a certificate not renewed is warned of, and renewed in one click', async ({ page, javaScriptEnabled }) => {
  // A server that hands out a certificate with 5 days left.
  await setFault('due');
  writeSettings(demoSettings());
  forgetCertificate();
  await page.goto('/');
  const warning = page.getByTestId('expires-soon');
  await eventually(page, javaScriptEnabled, () => expect(warning).toBeVisible({ timeout: 2_000 }));
  const status = await (await page.request.get('/api/status')).json();
  expect(status.certificate.expires_soon).toBe(true);
  const metrics = await (await page.request.get('/metrics')).text();
  expect(metrics).toContain('iotbox_certificate_expires_soon 1');
  await expect(warning).toContainText('has not renewed it yet');
  await expect(page.getByTestId('banner')).toHaveClass(/banner--warning/);
  await expect(repair(page, 'expires_soon')).toContainText('is not renewed yet');
  await expect(repair(page, 'renewal_deferred')).toContainText('Nothing to do');

  // The server is fixed; the owner renews at once rather than waiting for the next attempt.
  await setFault('none');
  await repair(page, 'expires_soon').getByRole('button', { name: 'Renew the certificate now' }).click();
  // Within the box's bound of one asked-for request per 10 s (the page's visit was one).
  await eventually(page, javaScriptEnabled, () => expect(repair(page, 'expires_soon')).toHaveCount(0, { timeout: 2_000 }), 30_000);
  await expect(page.getByTestId('banner')).toHaveClass(/banner--ok/);
  await expect(warning).toHaveCount(0);
  expect(await (await page.request.get('/metrics')).text()).toContain('iotbox_certificate_expires_soon 0');
});

test('the name given to Odoo is shown with what it is', async ({ page }) => {
  writeSettings(CONNECTED);
  await page.goto('/?advanced');
  const status = await (await page.request.get('/api/status')).json();
  const value = status.identifier.value as string;
  expect(['serial_number', 'mac_address', 'host_name']).toContain(status.identifier.source);
  await expect(page.getByTestId('identifier').locator('dd')).toContainText(value);
});

for (const [locale, title, problem, open] of [
  ['it-IT', 'Cosa sistemare', 'Problema', 'Apri il modulo delle credenziali'],
  ['vi-VN', 'Những việc cần khắc phục', 'Lỗi', 'Mở biểu mẫu thông tin xác thực'],
]) {
  test.describe(`in ${locale}`, () => {
    test.use({ locale });

    test('the list speaks the owner\'s language', async ({ page }) => {
      writeSettings(CONNECTED);
      forgetCertificate();
      await page.goto('/');
      const list = page.getByTestId('repairs');
      await expect(list.locator('h2')).toHaveText(title);
      await expect(repair(page, 'certificate')).toContainText(problem);
      await expect(repair(page, 'certificate').getByRole('link', { name: open })).toBeVisible();
      await expect(list).not.toContainText('What to fix');
    });
  });
}
