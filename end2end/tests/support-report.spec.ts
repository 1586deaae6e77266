// The support report, downloaded from the Diagnostics section with JavaScript on and off:
// named after the box, holding the code and the checks, and no secret.
import * as fs from 'node:fs';
import { CONNECTED, DEMO_CREDENTIAL, expect, forgetCertificate, removeSettings, setFault, test, writeSettings } from './box';

test.afterEach(async () => {
  removeSettings();
  await setFault('none');
});

test('the support report holds the code and the checks, and no secret', async ({ page }) => {
  await setFault('status 503');
  forgetCertificate();
  writeSettings(CONNECTED);
  // A credential saved is tried at once, whatever the box was waiting for before.
  const saved = await page.request.post('/api/credential/save', { form: DEMO_CREDENTIAL });
  expect(saved.ok()).toBe(true);
  await expect(async () => {
    await page.goto('/');
    await expect(page.getByTestId('error-code')).toHaveText('ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('support-report').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^iotbox-[A-Za-z0-9-]+-\d{8}-\d{6}-support\.txt$/);
  const report = fs.readFileSync((await download.path())!, 'utf8');
  expect(report).toContain('error code: ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503');
  expect(report).toContain('"server_error"');
  expect(report).toContain('== Log (the last');
  expect(report).not.toContain(DEMO_CREDENTIAL.contract_number);
  expect(report).not.toContain(DEMO_CREDENTIAL.db_uuid);
  expect(report).not.toContain('PRIVATE KEY');
});
