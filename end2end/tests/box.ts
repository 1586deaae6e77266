// What the tests know of the box under test and of the machine it runs on.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA_DIR } from '../playwright.config';

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
