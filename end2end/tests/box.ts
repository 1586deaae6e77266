// What the tests know of the box under test and of the machine it runs on. Each project
// (JavaScript on, off) has a box of its own, started by the global set-up; the tests import
// `test` from here, which points them at it.
import { expect, Page, test as base } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { BOXES_FILE, BoxUnderTest } from './boxes';

let current: BoxUnderTest | undefined;

/** The box of the project this worker runs. */
export function box(): BoxUnderTest {
  if (!current) throw new Error('no box under test: import `test` from ./box');
  return current;
}

export const test = base.extend<object, { boxUnderTest: BoxUnderTest }>({
  boxUnderTest: [
    async ({}, use, workerInfo) => {
      const boxes = JSON.parse(fs.readFileSync(BOXES_FILE, 'utf8')) as Record<string, BoxUnderTest>;
      current = boxes[workerInfo.project.name];
      await use(current);
    },
    { scope: 'worker', auto: true },
  ],
  baseURL: async ({ boxUnderTest }, use) => use(boxUnderTest.url),
  // The page hydrates once loaded and idle: with JavaScript, a test acts on the page once it
  // is live (`data-hydrated`), as a person does a moment after it shows.
  page: async ({ page, javaScriptEnabled }, use) => {
    if (javaScriptEnabled) {
      const live = async <T extends { headers(): Record<string, string> } | null>(response: T) => {
        if (response?.headers()['content-type']?.startsWith('text/html')) {
          await page.locator('body[data-hydrated]').waitFor({ state: 'attached', timeout: 15_000 });
        }
        return response;
      };
      const [goto, reload] = [page.goto.bind(page), page.reload.bind(page)];
      page.goto = async (...args) => live(await goto(...args));
      page.reload = async (...args) => live(await reload(...args));
    }
    await use(page);
  },
});
export { expect };
export type { Page };

export const settingsFile = () => path.join(box().dataDir, 'settings.toml');

/** Writes the box settings file, as an installer or an administrator would. */
export function writeSettings(text: string): void {
  // Through a temporary file and a rename, so the box never reads half a file.
  const temporary = `${settingsFile()}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, settingsFile());
}

export function removeSettings(): void {
  fs.rmSync(settingsFile(), { force: true });
}

type IpAddress = { family: string; local: string; scope: string };
type Link = { ifname: string; address: string; addr_info: IpAddress[] };

function ipJson<T>(...args: string[]): T {
  return JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' })) as T;
}

/** The machine's own address and MAC, read with `ip`, independently of the box. */
export function machineNetworkIdentity(): { ip: string; mac: string } {
  const links = ipJson<Link[]>('addr', 'show');
  const routes = ipJson<{ dev: string }[]>('route', 'show', 'default');
  const usable = (link: Link) =>
    link.addr_info.find((a) => a.family === 'inet' && a.scope === 'global');
  const link = routes.length
    ? links.find((l) => l.ifname === routes[0].dev)
    : links.find((l) => usable(l) !== undefined);
  const address = link && usable(link);
  if (!link || !address) throw new Error('this machine has no global IPv4 address');
  return { ip: address.local, mac: link.address.toLowerCase() };
}

/** Removes the box's certificate files, as if it had never had one: the next check asks. */
export function forgetCertificate(): void {
  fs.rmSync(path.join(box().dataDir, 'certificate', 'current'), { force: true, recursive: true });
}

/** The settings the local authority gives a certificate for: one file for every test. */
const DEMO_SETTINGS = fs.readFileSync(path.resolve(__dirname, '../../server/src/local_ca/demo-settings.toml'), 'utf8');
const demoValue = (key: string) => DEMO_SETTINGS.match(new RegExp(`^${key} = "(.*)"$`, 'm'))![1];

export const DEMO_CREDENTIAL = {
  db_uuid: demoValue('db_uuid'),
  contract_number: demoValue('contract_number'),
};

export const CONNECTED = `[odoo]\nserver_url = "${demoValue('server_url')}"\n`;

export function demoSettings(): string {
  return DEMO_SETTINGS;
}

/** Switches the fault the local certificate authority plays (see docs/developer.md). */
export function setFault(phrase: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port: box().caPort,
        path: '/control/fault',
        method: 'PUT',
        ca: fs.readFileSync(path.join(box().caDir, 'ca.pem')),
      },
      (response) => {
        response.resume();
        response.statusCode === 200 ? resolve() : reject(new Error(`fault ${phrase}: ${response.statusCode}`));
      },
    );
    request.on('error', reject);
    request.end(phrase);
  });
}

/**
 * Waits for `check` to pass. With JavaScript the page follows the box by itself; without,
 * the user refreshes it, and so does this.
 */
export async function eventually(page: Page, javaScriptEnabled: boolean, check: () => Promise<void>, timeout = 20_000) {
  await expect(async () => {
    if (!javaScriptEnabled) await page.reload();
    await check();
  }).toPass({ timeout });
}
