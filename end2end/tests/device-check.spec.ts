// This device's view of the HTTPS address, checked by the browser that shows the page: a
// Chromium that trusts the box's certificate issuer opens it; one that does not is told the
// certificate is not trusted; one whose DNS does not find the name (--host-resolver-rules)
// is told it cannot open it, with the router's DNS named when the box found it blocks the
// name, with a way in by IP address and the fix per router family; one that blocks requests
// to the local network (Chrome's permission) is told that, not DNS. Without JavaScript the
// page says that the check needs it.
import { chromium, type Browser } from '@playwright/test';
import { createHash, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { startLocalDns, StartedBox } from '../processes';
import { expect, machineNetworkIdentity, test } from './box';
import { ownBox, ownFolder, projectCa, stopOwnProcesses, track } from './own-boxes';

const browsers: Browser[] = [];

test.afterEach(async () => {
  await Promise.all(browsers.splice(0).map((browser) => browser.close()));
  await stopOwnProcesses();
});

/** A box of this test's own with a real certificate from the project's authority. */
function boxWithCertificate(name: string, env: NodeJS.ProcessEnv = {}): Promise<StartedBox> {
  return ownBox(name, projectCa().url, projectCa().file, env);
}

/** Debian's Chromium with `args` besides the usual ones. */
async function browserWith(args: string[]): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...args] });
  browsers.push(browser);
  return browser;
}

/** Trusts the project's local root, as shops' devices trust the vendor's. */
function trustingTheLocalRoot(): string {
  const root = new X509Certificate(fs.readFileSync(projectCa().file));
  const spki = root.publicKey.export({ type: 'spki', format: 'der' });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`;
}

/** Opens the box's page once it has its HTTPS address, and gives the device check. */
async function deviceCheck(browser: Browser, own: StartedBox) {
  const page = await browser.newPage();
  await expect(async () => {
    await page.goto(own.url);
    await expect(page.getByTestId('https-address')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  const check = page.getByTestId('device-check');
  await expect(check).toHaveAttribute('data-state', 'done');
  return { page, check };
}

test('without JavaScript the page says the device check needs it', async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled, 'the check itself runs with JavaScript');
  await page.goto('/');
  await expect(page.getByTestId('device-check')).toHaveAttribute('data-state', 'needs_javascript');
  await expect(page.getByTestId('device-check')).toContainText('needs JavaScript');
});

test.describe('with JavaScript', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'the check runs in the browser');

  test('a device that trusts the certificate opens the HTTPS address', async () => {
    const own = await boxWithCertificate('opens');
    const { check } = await deviceCheck(await browserWith([trustingTheLocalRoot()]), own);
    await expect(check.getByTestId('device-verdict')).toHaveAttribute('data-verdict', 'opens');
    await expect(check).toContainText('This device opens the HTTPS address');
  });

  test('a device that does not trust it is told so, with the fix', async () => {
    const own = await boxWithCertificate('not-trusted');
    const { check } = await deviceCheck(await browserWith([]), own);
    await expect(check.getByTestId('device-verdict')).toHaveAttribute('data-verdict', 'not_trusted');
    await expect(check.getByTestId('device-fix')).toContainText('date and time');
  });

  test('a device whose DNS does not find the name cannot open it; the router is named when it blocks', async () => {
    const router = await startLocalDns(ownFolder('router'), ['--refuse-private', '--refuse', machineNetworkIdentity().ip]);
    const publicDns = await startLocalDns(ownFolder('public'), []);
    track(router[0]);
    track(publicDns[0]);
    const own = await boxWithCertificate('cannot-open', { IOTBOX_DNS_RESOLVER: router[1], IOTBOX_PUBLIC_DNS: publicDns[1] });
    const browser = await browserWith(['--host-resolver-rules=MAP *.iotbox.localhost ~NOTFOUND', trustingTheLocalRoot()]);
    const { page, check } = await deviceCheck(browser, own);
    await expect(check.getByTestId('device-verdict')).toHaveAttribute('data-verdict', 'cannot_open');
    await expect(check).toContainText('its DNS');

    // Once the box found that the router's DNS blocks the name, the device check says so.
    await page.getByTestId('run-diagnostics').click();
    await expect(page.getByTestId('address-verdict')).toHaveAttribute('data-verdict', 'router_blocks');
    await check.getByRole('button', { name: 'Check this device again' }).click();
    await expect(check).toContainText('the router\'s DNS blocks it');
    await expect(check.getByTestId('device-fix')).toContainText('Google DNS');

    // A way in meanwhile: the page by the box's IP address, and the router's fix by family.
    const wayIn = page.getByTestId('way-in');
    await expect(wayIn).toBeVisible();
    const byIp = wayIn.getByTestId('way-in-by-ip').getByRole('link');
    await expect(byIp).toHaveAttribute('href', own.url);
    await expect(wayIn.getByTestId('way-in-routers')).toContainText('FRITZ!Box');
    await expect(wayIn.getByTestId('way-in-routers')).toContainText('rebind-domain-ok=/iotbox.localhost/');
    await byIp.click();
    await expect(page).toHaveURL(own.url + '/');
    await expect(page.getByTestId('banner')).toBeVisible();
  });

  test('a browser that blocks requests to the local network is told so, not a DNS problem', async () => {
    const own = await boxWithCertificate('local-network');
    const httpPort = new URL(own.url).port;
    // The page as if it came from the Internet: a request to the box is one to the local
    // network, which Chrome lets through only with the site's "Local network access".
    const browser = await browserWith([`--ip-address-space-overrides=127.0.0.1:${httpPort}=public`, trustingTheLocalRoot()]);
    const withPermission = async (setting: 'granted' | 'denied') => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const { targetInfo } = await cdp.send('Target.getTargetInfo');
      for (const name of ['local-network-access', 'local-network', 'loopback-network']) {
        await cdp.send('Browser.setPermission', {
          permission: { name }, setting, origin: own.url, browserContextId: targetInfo.browserContextId,
        });
      }
      await expect(async () => {
        await page.goto(own.url);
        await expect(page.getByTestId('https-address')).toBeVisible({ timeout: 500 });
      }).toPass({ timeout: 20_000 });
      const check = page.getByTestId('device-check');
      await expect(check).toHaveAttribute('data-state', 'done');
      return check;
    };
    // Allowed, the same page opens the box: the block below is the permission's alone.
    const allowed = await withPermission('granted');
    await expect(allowed.getByTestId('device-verdict')).toHaveAttribute('data-verdict', 'opens');
    // Blocked, as by a person who answered "Block" to Chrome's question.
    const blocked = await withPermission('denied');
    await expect(blocked.getByTestId('device-verdict')).toHaveAttribute('data-verdict', 'browser_blocked');
    await expect(blocked).toContainText('This browser blocked the request to the box');
    await expect(blocked.getByTestId('device-fix')).toContainText('Local network access');
  });
});

