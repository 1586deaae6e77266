// The real binaries as processes for the end-to-end tests: a box, a local certificate
// authority or a local DNS server, each on port 0, ready once it prints the line that says where it listens.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';

const BINARY = path.resolve(__dirname, '../target/release/iotbox');
// The stand-ins for the vendor's services, a binary of their own (left out of the box's).
const LOCAL_BINARY = path.resolve(__dirname, '../target/release/iotbox-local');
const SITE_ROOT = path.resolve(__dirname, '../target/site');

/** Starts `program` with `args` and waits for the line holding `ready`; its output also goes to `log`. */
function start(program: string, args: string[], env: NodeJS.ProcessEnv, log: string, ready: string): Promise<[ChildProcess, string]> {
  const child = spawn(program, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
export function portAfter(line: string, scheme: string): number {
  const match = line.match(new RegExp(`${scheme}://[^\\s/]+:(\\d+)`));
  if (!match) throw new Error(`no ${scheme} port in: ${line}`);
  return Number(match[1]);
}

/** A box started on `dir/data`, asking `certServer`, trusting `certServerCa` if given. */
export type StartedBox = { child: ChildProcess; url: string; httpsPort: number; dataDir: string };

export async function startBoxProcess(
  dir: string,
  certServer: string,
  certServerCa: string | undefined,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<StartedBox> {
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const [child, line] = await start(
    BINARY,
    [],
    {
      IOTBOX_DATA_DIR: dataDir,
      LEPTOS_SITE_ADDR: '127.0.0.1:0',
      LEPTOS_SITE_ROOT: SITE_ROOT,
      IOTBOX_HTTPS_ADDR: '127.0.0.1:0',
      IOTBOX_CERT_SERVER: certServer,
      ...(certServerCa ? { IOTBOX_CERT_SERVER_CA: certServerCa } : {}),
      RUST_LOG: 'info',
      ...extraEnv,
    },
    path.join(dir, 'box.log'),
    'homepage on',
  );
  return { child, url: `http://127.0.0.1:${portAfter(line, 'http')}`, httpsPort: portAfter(line, 'https'), dataDir };
}

/** A local certificate authority (`iotbox-local ca`) keeping its root in `dir`, with `args`. */
export type StartedCa = { child: ChildProcess; url: string; caFile: string; port: number };

export async function startLocalCa(dir: string, args: string[] = []): Promise<StartedCa> {
  const [child, line] = await start(
    LOCAL_BINARY,
    ['ca', '--dir', dir, '--addr', '127.0.0.1:0', ...args],
    { RUST_LOG: 'info' },
    path.join(path.dirname(dir), `${path.basename(dir)}.log`),
    'local certificate authority:',
  );
  const port = portAfter(line, 'https');
  return { child, url: `https://127.0.0.1:${port}/odoo-enterprise/iot/x509`, caFile: path.join(dir, 'ca.pem'), port };
}

/** A local DNS server (`iotbox-local dns`) with `args`; gives it and its `IP:port`. */
export async function startLocalDns(dir: string, args: string[]): Promise<[ChildProcess, string]> {
  fs.mkdirSync(dir, { recursive: true });
  const [child, line] = await start(
    LOCAL_BINARY,
    ['dns', '--addr', '127.0.0.1:0', ...args],
    { RUST_LOG: 'info' },
    path.join(dir, 'local-dns.log'),
    'local DNS server:',
  );
  return [child, `127.0.0.1:${portAfter(line, 'dns')}`];
}

/** Stops `child` with SIGTERM, as systemd would, and waits for it. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
