// Processes a test starts for itself, beside the project's box: boxes with other
// certificate servers or resolvers, certificate authorities with faults, DNS servers. Each
// gets a fresh folder of its own, and all are stopped after the test (`stopOwnProcesses`).
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startBoxProcess, stop, StartedBox } from '../processes';
import { E2E_DIR } from './boxes';
import { box, demoSettings, test } from './box';

const started: ChildProcess[] = [];

/** Keeps `child` to stop it after the test. */
export function track(child: ChildProcess): void {
  started.push(child);
}

export async function stopOwnProcesses(): Promise<void> {
  await Promise.all(started.splice(0).map(stop));
}

/** An empty folder for `name`, under the project's and the spec file's. */
export function ownFolder(name: string): string {
  const spec = path.basename(test.info().file, '.spec.ts');
  const dir = path.join(E2E_DIR, test.info().project.name, spec, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The project's certificate authority, and the file to trust it by. */
export const projectCa = () => ({
  url: `https://127.0.0.1:${box().caPort}/odoo-enterprise/iot/x509`,
  file: path.join(box().caDir, 'ca.pem'),
});

/** A box connected with the demo credential, asking `certServer`, polling every second. */
export async function ownBox(
  name: string,
  certServer: string,
  certServerCa: string | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<StartedBox> {
  const dir = ownFolder(name);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data', 'settings.toml'), demoSettings());
  const own = await startBoxProcess(dir, certServer, certServerCa, { IOTBOX_POLL_INTERVAL: '1s', ...env });
  track(own.child);
  return own;
}
