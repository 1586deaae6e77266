// Behaviour that needs JavaScript: the page follows the box without being reloaded.
import * as path from 'node:path';
import { startBoxProcess, stop } from '../processes';
import { CONNECTED, expect, forgetCertificate, removeSettings, setFault, test, writeSettings } from './box';
import { ownBox, projectCa, stopOwnProcesses, track } from './own-boxes';

test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'live updates need JavaScript');
test.afterEach(async () => {
  await stopOwnProcesses();
  removeSettings();
  await setFault('none');
});

test('the rows update in place when the state changes, without a reload', async ({ page }) => {
  await page.goto('/');
  const row = page.getByTestId('odoo-server').locator('dd');
  await expect(row).toHaveText('Not connected');
  // A mark on the document: a reload would remove it.
  await page.evaluate(() => ((window as unknown as { mark: string }).mark = 'same page'));
  const heading = await page.getByRole('heading', { level: 1 }).elementHandle();

  writeSettings('[odoo]\nserver_url = "https://erp.example.com"\n');
  await expect(row).toHaveText('https://erp.example.com/');

  expect(await page.evaluate(() => (window as unknown as { mark?: string }).mark)).toBe('same page');
  // Rows are updated in place: the same elements are still in the document.
  expect(await heading!.evaluate((element) => element.isConnected)).toBe(true);
});

test('a box that stops shows as unreachable, until it is back', async ({ page }) => {
  const own = await ownBox('stops-and-comes-back', projectCa().url, projectCa().file);
  const streamOpened = page.waitForResponse((response) => response.url().endsWith('/api/status/events'));
  await page.goto(own.url);
  await streamOpened;
  const unreachable = page.getByTestId('unreachable');
  await expect(unreachable).toHaveCount(0);

  // Stopping ends the status stream: the page says so at once, not after a poll interval.
  await stop(own.child);
  // Well before the page's 55 s silence limit: the stream's end is what tells it.
  await expect(unreachable).toBeVisible({ timeout: 10_000 });
  await expect(unreachable).toContainText('Box unreachable');

  // Back on the same address: the browser opens the stream again by itself.
  const again = await startBoxProcess(path.dirname(own.dataDir), projectCa().url, projectCa().file, {
    IOTBOX_POLL_INTERVAL: '1s',
    LEPTOS_SITE_ADDR: new URL(own.url).host,
  });
  track(again.child);
  await expect(unreachable).toHaveCount(0, { timeout: 10_000 });
});

test('one stream, and nothing more, follows the box while nothing changes', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.goto('/');
  await expect.poll(() => requests.filter((p) => p === '/api/status/events').length, { timeout: 10_000 }).toBe(1);
  // The page's own check of its HTTPS address asks once, after a TLS failure: let it end.
  await expect(page.getByTestId('device-check')).toHaveAttribute('data-state', /^(done|no_address|reload)$/);
  const before = requests.length;
  await page.waitForTimeout(3_500); // three and a half poll intervals of the box under test
  expect(requests.slice(before)).toEqual([]);
  // The status the stream opened with is the one the page shows: it was not read again.
  expect(requests.filter((p) => p === '/')).toEqual(['/']);
});

test('the stream closes while the tab is hidden and opens at once when it is shown', async ({ page }) => {
  // Real time: Playwright's fake clock hands out timer ids above 2^31, which the page's
  // WASM (web-sys keeps them as i32) cannot clear, so a faked clock would test the fake.
  let polls = 0;
  page.on('request', (request) => {
    if (request.url().includes('/api/status')) polls += 1;
  });
  await page.goto('/');
  // Once hydrated, the page opens the status stream.
  await expect.poll(() => polls, { timeout: 10_000 }).toBeGreaterThan(0);

  // Hides or shows the tab as a browser does; gives the streams the page opened in that turn,
  // before any timer could (the watch that reopens broken streams runs every 2 s). "At once"
  // is told in the page's own order of events, not in time, so a busy machine cannot sway it.
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate(async (state) => {
      const Original = window.EventSource;
      let opened = 0;
      window.EventSource = class extends Original {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          opened += 1;
        }
      };
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
      Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      await new Promise((next) => setTimeout(next, 0));
      window.EventSource = Original;
      return opened;
    }, state);

  expect(await setVisibility('hidden')).toBe(0);
  await page.waitForTimeout(300);
  const beforeHidden = polls;
  await page.waitForTimeout(3_500); // three of the box's poll intervals and a half
  expect(polls).toBe(beforeHidden);

  writeSettings('[odoo]\nserver_url = "https://back.example.com"\n');
  expect(await setVisibility('visible')).toBe(1);
  await expect(page.getByTestId('odoo-server').locator('dd')).toHaveText('https://back.example.com/');
});

test('an open "Details" stays open while the box tries again', async ({ page }) => {
  test.slow();
  // A credential the certificate server refuses, slowly: each attempt is seen under way.
  writeSettings(
    CONNECTED +
      '[credential]\ndb_uuid = "11111111-2222-4333-8444-555555555555"\ncontract_number = "NOT-KNOWN"\n',
  );
  forgetCertificate();
  await setFault('slow 2s');
  await page.goto('/');
  const code = page.getByTestId('error-code');
  await expect(code).toHaveText('ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT', { timeout: 15_000 });
  await page.locator('summary', { hasText: 'Details' }).click();
  const details = page.locator('details.banner__detail');
  await expect(details).toHaveAttribute('open', '');

  await page.getByRole('button', { name: 'Try again' }).click();
  // Within the 10 s between manual retries, then 2 s under way, then refused again.
  const banner = page.getByTestId('banner');
  const underWay = /Trying again now|Requesting a certificate/;
  await expect(banner).toContainText(underWay, { timeout: 15_000 });
  await expect(page.getByTestId('error-detail')).not.toBeEmpty();
  await expect(banner).not.toContainText(underWay, { timeout: 10_000 });
  await expect(code).toHaveText('ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT');
  await expect(details).toHaveAttribute('open', '');
});
