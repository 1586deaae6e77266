// From the temporary certificate to a working HTTPS address, as a shop owner sees it.
import { chromium } from '@playwright/test';
import { createHash, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { box, demoSettings, expect, removeSettings, test, writeSettings } from './box';

test.afterEach(() => removeSettings());

/** A header of the box's answer over HTTPS when it is asked by IP address. */
function headerByIp(name: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host: '127.0.0.1', port: box().httpsPort, path: '/', rejectUnauthorized: false },
      (response) => {
        response.resume();
        resolve(response.headers[name] as string | undefined);
      },
    );
    request.on('error', reject);
  });
}

/** Chromium trusts the local root the way a shop's devices trust the vendor's: for real. */
function spkiHashOfLocalRoot(): string {
  const root = new X509Certificate(fs.readFileSync(path.join(box().caDir, 'ca.pem')));
  const spki = root.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

test('the box goes from its temporary certificate to a working HTTPS address', async ({ page }) => {
  test.slow();
  await page.goto('/');
  const certificate = page.getByTestId('https-certificate').locator('dd');
  await expect(certificate).toContainText('ERR_IOT_HTTPS_CHECK_NO_SERVER');

  writeSettings(demoSettings());
  // With JavaScript the page follows by itself; a refresh (which also retries at once, as
  // documented) serves both modes.
  await expect(async () => {
    await page.reload();
    await expect(certificate).toContainText('Valid until', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(certificate).toContainText('days left');

  const link = page.getByTestId('https-address').getByRole('link');
  const address = await link.getAttribute('href');
  expect(address).toMatch(new RegExp(`^https://\\d+-\\d+-\\d+-\\d+\\.[0-9a-f]{12}\\.iotbox\\.localhost:${box().httpsPort}$`));

  // A browser that trusts only what it is told to trust opens the address without a warning.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiHashOfLocalRoot()}`],
  });
  try {
    const securePage = await browser.newPage();
    const response = await securePage.goto(address!);
    expect(response?.status()).toBe(200);
    // HSTS on the certificate's own name only: never by IP address, never over plain HTTP.
    expect(response!.headers()['strict-transport-security']).toBe('max-age=86400');
    expect(await headerByIp('strict-transport-security')).toBeUndefined();
    const security = await response!.securityDetails();
    expect(security?.issuer).toBe('IoT Box Local Certificate Authority');
    expect(security?.subjectName).toMatch(/^\*\.[0-9a-f]{12}\.iotbox\.localhost$/);
    await expect(securePage.getByRole('heading', { level: 1 })).toBeVisible();
  } finally {
    await browser.close();
  }
});
