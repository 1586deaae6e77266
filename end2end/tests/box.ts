// What the tests know of the box under test and of the machine it runs on.
import { expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { CA_DIR, CA_PORT, DATA_DIR } from '../playwright.config';

export const SETTINGS_FILE = path.join(DATA_DIR, 'settings.toml');

/** Writes the box settings file, as an installer or an administrator would. */
export function writeSettings(text: string): void {
  // Through a temporary file and a rename, so the box never reads half a file.
  const temporary = `${SETTINGS_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, SETTINGS_FILE);
}

export function removeSettings(): void {
  fs.rmSync(SETTINGS_FILE, { force: true });
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
  fs.rmSync(path.join(DATA_DIR, 'certificate', 'current'), { force: true, recursive: true });
}

export const DEMO_CREDENTIAL = {
  db_uuid: '0f0e1d2c-3b4a-4596-a7b8-c9d0e1f2a3b4',
  contract_number: 'DEMO-2026-0001',
};

export const CONNECTED = '[odoo]\nserver_url = "http://127.0.0.1:8069"\n';

export function demoSettings(): string {
  return (
    CONNECTED +
    `\n[credential]\ndb_uuid = "${DEMO_CREDENTIAL.db_uuid}"\n` +
    `contract_number = "${DEMO_CREDENTIAL.contract_number}"\n`
  );
}

/** Switches the fault the local certificate authority plays (see the README). */
export function setFault(phrase: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port: CA_PORT,
        path: '/control/fault',
        method: 'PUT',
        ca: fs.readFileSync(path.join(CA_DIR, 'ca.pem')),
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
export async function eventually(page: Page, javaScriptEnabled: boolean, check: () => Promise<void>) {
  await expect(async () => {
    if (!javaScriptEnabled) await page.reload();
    await check();
  }).toPass({ timeout: 20_000 });
}
