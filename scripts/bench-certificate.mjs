#!/usr/bin/env node
// Prints figures for the certificate engine, measured on the real release binary over
// loopback: time from a saved credential to the new certificate being served, status
// latency under 200 simultaneous polls, and the box's memory. Run after a release build:
//   node scripts/bench-certificate.mjs [runs]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BINARY = path.join(ROOT, 'target/release/iotbox');
const LOCAL_BINARY = path.join(ROOT, 'target/release/iotbox-local');
const RUNS = Number(process.argv[2] ?? 5);
// The settings the local certificate authority gives a certificate for.
const DEMO_SETTINGS = fs.readFileSync(path.join(ROOT, 'server/src/local_ca/demo-settings.toml'), 'utf8');
const demoValue = (key) => DEMO_SETTINGS.match(new RegExp(`^${key} = "(.*)"$`, 'm'))[1];
const DEMO = { db_uuid: demoValue('db_uuid'), contract_number: demoValue('contract_number') };
const CREDENTIAL = `[credential]\ndb_uuid = "${DEMO.db_uuid}"\ncontract_number = "${DEMO.contract_number}"\n`;
const SERVER = '[odoo]\nserver_url = "http://127.0.0.1:8069"\n';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
async function until(what, probe, limitMs = 20_000) {
  const start = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
const servedCommonName = (port) =>
  new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().subject.CN);
      socket.end();
    });
    socket.on('error', reject);
  });
const status = async (port) => (await fetch(`http://127.0.0.1:${port}/api/status`)).json();

async function startBox(settings) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotbox-bench-'));
  const [caPort, httpPort, httpsPort] = [await freePort(), await freePort(), await freePort()];
  const ca = spawn(LOCAL_BINARY, ['ca', '--addr', `127.0.0.1:${caPort}`, '--dir', path.join(dir, 'ca')], { stdio: 'ignore' });
  await until('the local CA', async () => fs.existsSync(path.join(dir, 'ca', 'ca.pem')) && (await fetch(`http://127.0.0.1:${caPort}`).catch((e) => e.cause?.code !== 'ECONNREFUSED')));
  fs.mkdirSync(path.join(dir, 'data'), { mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'data', 'settings.toml'), settings);
  const box = spawn(BINARY, [
    '--data-dir', path.join(dir, 'data'),
    '--http-addr', `127.0.0.1:${httpPort}`, '--https-addr', `127.0.0.1:${httpsPort}`,
    '--cert-server', `https://127.0.0.1:${caPort}/odoo-enterprise/iot/x509`,
    '--cert-server-ca', path.join(dir, 'ca', 'ca.pem'),
  ], { stdio: 'ignore', env: { PATH: process.env.PATH, RUST_LOG: 'warn' } });
  await until('the box', () => status(httpPort));
  return {
    dir, httpPort, httpsPort, pid: box.pid,
    stop() { box.kill('SIGTERM'); ca.kill('SIGTERM'); },
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

const toServed = [];
for (let run = 0; run < RUNS; run++) {
  const box = await startBox(SERVER);
  await until('no credential', async () => (await status(box.httpPort)).certificate.error?.code === 'ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL');
  const start = process.hrtime.bigint();
  // What the credential form posts.
  const saved = await fetch(`http://127.0.0.1:${box.httpPort}/api/credential/save`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(DEMO),
  });
  if (!saved.ok) throw new Error(`saving the credential: ${saved.status}`);
  await until('the new certificate', async () => (await servedCommonName(box.httpsPort)) !== 'OdooTempIoTBoxCertificate');
  toServed.push(Number(process.hrtime.bigint() - start) / 1e6);
  box.stop();
}
console.log(`saved credential -> new certificate served: median ${median(toServed).toFixed(1)} ms over ${RUNS} runs (${toServed.map((t) => t.toFixed(1)).join(', ')})`);

const box = await startBox(SERVER + CREDENTIAL);
await until('a certificate', async () => (await status(box.httpPort)).certificate.state === 'ok');
console.log(`box memory after start and first certificate: ${(rssKiB(box.pid) / 1024).toFixed(1)} MiB RSS`);
const latencies = await Promise.all(
  Array.from({ length: 200 }, async () => {
    const start = process.hrtime.bigint();
    await status(box.httpPort);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }),
);
console.log(`200 simultaneous GET /api/status: median ${median(latencies).toFixed(1)} ms, slowest ${Math.max(...latencies).toFixed(1)} ms`);
console.log(`box memory after them: ${(rssKiB(box.pid) / 1024).toFixed(1)} MiB RSS`);
box.stop();
