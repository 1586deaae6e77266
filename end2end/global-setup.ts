// Starts, for each project (JavaScript on, JavaScript off), a box of its own: the real release
// binary with an empty data folder, and a local certificate authority for it to ask. Every
// process binds port 0 and says which port it got, so no run depends on a port being free,
// and no project sees what the other left behind. The stop function is the global teardown.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { FullConfig } from '@playwright/test';
import { BOXES_FILE, BoxUnderTest, E2E_DIR } from './tests/boxes';

const BINARY = path.resolve(__dirname, '../target/release/iotbox');
const SITE_ROOT = path.resolve(__dirname, '../target/site');

/** Starts `args` and waits for the line holding `ready`; its output also goes to `log`. */
function start(args: string[], env: NodeJS.ProcessEnv, log: string, ready: string): Promise<[ChildProcess, string]> {
  const child = spawn(BINARY, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const file = fs.createWriteStream(log);
  child.stderr!.pipe(file);
  const lines = readline.createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not listening after 60 s (see ${log})`)), 60_000);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} stopped with ${code} (see ${log})`)));
    lines.on('line', (line) => {
      file.write(line + '\n');
      if (line.includes(ready)) {
        clearTimeout(timer);
        resolve([child, line]);
      }
    });
  });
}

/** The port after `scheme://` in `line`. */
function portAfter(line: string, scheme: string): number {
  const match = line.match(new RegExp(`${scheme}://[^\\s/]+:(\\d+)`));
  if (!match) throw new Error(`no ${scheme} port in: ${line}`);
  return Number(match[1]);
}

async function startBox(project: string, processes: ChildProcess[]): Promise<BoxUnderTest> {
  const dir = path.join(E2E_DIR, project);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const caDir = path.join(dir, 'local-ca');
  const dataDir = path.join(dir, 'data');

  const [ca, caLine] = await start(
    ['local-ca', '--dir', caDir, '--addr', '127.0.0.1:0'],
    { RUST_LOG: 'info' },
    path.join(dir, 'local-ca.log'),
    'local certificate authority:',
  );
  processes.push(ca);
  const caPort = portAfter(caLine, 'https');
  const [box, boxLine] = await start(
    [],
    {
      IOTBOX_DATA_DIR: dataDir,
      LEPTOS_SITE_ADDR: '127.0.0.1:0',
      LEPTOS_SITE_ROOT: SITE_ROOT,
      IOTBOX_HTTPS_ADDR: '127.0.0.1:0',
      IOTBOX_CERT_SERVER: `https://127.0.0.1:${caPort}/odoo-enterprise/iot/x509`,
      IOTBOX_CERT_SERVER_CA: path.join(caDir, 'ca.pem'),
      // Fast polling so the live-update tests take seconds.
      IOTBOX_POLL_INTERVAL: '1s',
      RUST_LOG: 'info',
    },
    path.join(dir, 'box.log'),
    'homepage on',
  );
  processes.push(box);
  const httpPort = portAfter(boxLine, 'http');
  return { url: `http://127.0.0.1:${httpPort}`, httpsPort: portAfter(boxLine, 'https'), caPort, caDir, dataDir };
}

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.removeAllListeners('exit');
            child.on('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    const boxes: Record<string, BoxUnderTest> = {};
    for (const project of config.projects) {
      boxes[project.name] = await startBox(project.name, processes);
    }
    fs.writeFileSync(BOXES_FILE, JSON.stringify(boxes, null, 2));
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
