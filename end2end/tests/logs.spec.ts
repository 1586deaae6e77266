// The log level, applied live, and the log download, with JavaScript on and off.
import * as fs from 'node:fs';
import type { APIResponse } from '@playwright/test';
import { CONNECTED, DEMO_CREDENTIAL, Page, expect, removeSettings, test, writeSettings } from './box';

/** Back to the default levels through the box itself, so the running logger follows. */
async function defaultLevels(page: Page) {
  const response = await page.request.post('/api/log-level', {
    form: { root: 'Info', certificate: 'Info', web: 'Info' },
  });
  expect(response.ok()).toBe(true);
}

test.beforeEach(async ({ page }) => defaultLevels(page));
test.afterEach(async ({ page }) => {
  await defaultLevels(page);
  removeSettings();
});

async function downloadLogs(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download logs' }).click(),
  ]);
  return { name: download.suggestedFilename(), text: fs.readFileSync((await download.path())!, 'utf8') };
}

/** A line the web server logs at debug level for each request it serves. */
const webDebugLine = (marker: string) => new RegExp(`DEBUG.*${marker}.*tower_http`);

test('a debug line appears in the downloaded log only after switching to debug', async ({ page }) => {
  await page.goto('/?advanced');
  await page.request.get('/page-asked-before-debug');
  let log = await downloadLogs(page);
  expect(log.name).toMatch(/^iotbox-[A-Za-z0-9-]+-\d{8}-\d{6}\.log$/);
  expect(log.text).not.toMatch(webDebugLine('page-asked-before-debug'));

  await page.getByLabel('Web server').selectOption('Debug');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByLabel('Web server')).toHaveValue('Debug');
  await expect(page.locator('#log-level')).toContainText('Back to the default (Info) on');

  await page.request.get('/page-asked-after-debug');
  await expect(async () => {
    log = await downloadLogs(page);
    expect(log.text).toMatch(webDebugLine('page-asked-after-debug'));
  }).toPass({ timeout: 10_000 });
  expect(log.text).not.toMatch(webDebugLine('page-asked-before-debug'));
});

test('the download is plain text and carries no secret', async ({ page }) => {
  writeSettings(CONNECTED);
  const saved = await page.request.post('/api/credential/save', { form: DEMO_CREDENTIAL });
  expect(saved.ok()).toBe(true);
  // The log file is written by a thread of its own: the line can come a moment later.
  let response: APIResponse | undefined;
  let text = '';
  await expect
    .poll(async () => {
      response = await page.request.get('/api/logs');
      return (text = await response.text());
    })
    .toContain('credential saved');
  expect(response!.headers()['content-type']).toBe('text/plain; charset=utf-8');
  expect(response!.headers()['content-disposition']).toMatch(/^attachment; filename="iotbox-.+\.log"$/);
  expect(text).not.toContain(DEMO_CREDENTIAL.contract_number);
  expect(text).not.toContain(DEMO_CREDENTIAL.db_uuid);
  expect(text).not.toContain('PRIVATE KEY');
});
