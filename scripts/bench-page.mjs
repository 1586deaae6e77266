#!/usr/bin/env node
// Prints figures for the homepage as a release build serves it over loopback, each with its
// goal: the bytes of a first load and of an open page's live status, the box's memory at
// rest, after 200 simultaneous polls, with 200 open pages and after a burst, its throughput
// next to Debian's nginx serving the same bytes, and its cold start. Results are printed, not asserted: exit 0 whether or
// not goals are met (1 only when a measurement could not be made). Builds nothing:
//   scripts/bench-page [--root DIR]    (installs nginx and wrk, then runs this)
//   node scripts/bench-page.mjs [--root DIR]
// DIR (default: the repository) holds the build to measure: DIR/target/release/iotbox and
// DIR/target/site, so a saved copy of an older build can be measured the same way.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const USAGE = 'usage: node scripts/bench-page.mjs [--root DIR]';
let buildRoot = REPO;
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--root' && process.argv[i + 1]) buildRoot = process.argv[++i];
  else if (arg.startsWith('--root=')) buildRoot = arg.slice('--root='.length);
  else {
    console.error(arg === '--help' || arg === '-h' ? USAGE : `unknown argument ${arg}\n${USAGE}`);
    process.exit(arg === '--help' || arg === '-h' ? 0 : 2);
  }
}
buildRoot = path.resolve(buildRoot);
const BINARY = path.join(buildRoot, 'target/release/iotbox');
const LOCAL_BINARY = path.join(buildRoot, 'target/release/iotbox-local');
const SITE = path.join(buildRoot, 'target/site');
if (!fs.existsSync(BINARY) || !fs.existsSync(path.join(SITE, 'pkg'))) {
  console.error(`no release build in ${buildRoot}/target: run scripts/build (or scripts/run) first`);
  process.exit(1);
}
// The demo credential, which the local certificate authority gives a certificate for.
const DEMO_SETTINGS = path.join(REPO, 'server/src/local_ca/demo-settings.toml');
// What a browser's navigation sends that can change the answer.
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const ENCODINGS = 'br, gzip';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
async function until(what, probe, limitMs = 20_000, stepMs = 5) {
  const start = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(stepMs);
  }
}

// Everything started or created here, so that any exit (error, Ctrl-C) leaves nothing behind.
const children = new Set();
const tempDirs = [];
function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
// Each child leads its own process group, so nginx's worker goes with its master.
function start(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, ...options });
  children.add(child);
  child.lastOutput = '';
  const keep = (data) => (child.lastOutput = (child.lastOutput + data).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.closed = new Promise((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, error }));
  }).finally(() => children.delete(child));
  return child;
}
const signalGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {} // already gone
};
async function stop(child) {
  if (!children.has(child)) return;
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
  await child.closed;
  clearTimeout(timer);
}
// The quick way, for when there is no time to wait (an error, Ctrl-C): the whole group.
function cleanUpNow() {
  for (const child of children) signalGroup(child, 'SIGKILL');
  children.clear();
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}
process.on('exit', cleanUpNow);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    cleanUpNow();
    process.exit(code);
  });
}

// One GET on a connection of its own, like a page's first request to the box. Node's http
// client neither decompresses nor asks for compression, so the body is counted as it came
// over the wire; the socket's counters give the whole exchange (status line, headers,
// framing). `Connection: keep-alive` as a browser sends it, not the `close` Node would add.
function get(port, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    let socket;
    const request = http.request(
      { host: '127.0.0.1', port, path: urlPath, agent: false, headers: { Connection: 'keep-alive', ...headers } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          resolve({
            status: response.statusCode,
            headers: response.headers,
            body: Buffer.concat(chunks),
            sent: socket.bytesWritten,
            received: socket.bytesRead,
          });
          socket.destroy();
        });
      },
    );
    request.on('socket', (s) => (socket = s));
    request.on('error', reject);
    request.setTimeout(15_000, () => request.destroy(new Error(`GET ${urlPath} timed out`)));
    request.end();
  });
}
// The status stream, opened as a page opens it, on a connection of its own. `until(test)`
// waits for what came so far to pass `test`, and gives the socket's counters then.
function openStream(port, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: urlPath, agent: false, headers: { Connection: 'keep-alive', ...headers } },
      (response) => {
        const waiting = [];
        const stream = {
          status: response.statusCode,
          headers: response.headers,
          text: '',
          counters: () => ({ sent: request.socket.bytesWritten, received: request.socket.bytesRead }),
          until: (test, limitMs = 60_000) =>
            new Promise((resolve, reject) => {
              const waiter = { test, resolve };
              waiter.timer = setTimeout(() => reject(new Error(`${urlPath}: nothing expected came in ${limitMs} ms`)), limitMs);
              waiting.push(waiter);
              check();
            }),
          close: () => request.destroy(),
        };
        const check = () => {
          for (const waiter of waiting.splice(0)) {
            if (waiter.test(stream.text)) {
              clearTimeout(waiter.timer);
              waiter.resolve(stream.counters());
            } else waiting.push(waiter);
          }
        };
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          stream.text += chunk;
          check();
        });
        resolve(stream);
      },
    );
    request.on('error', reject);
    request.end();
  });
}
const STREAM_ACCEPT = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', 'Accept-Encoding': ENCODINGS };
// An event is whole once its blank line came.
const hasEvent = (name) => (text) => new RegExp(`(^|\n)event: ${name}\n(data:[^\n]*\n)+(retry:[^\n]*\n)?\n`).test(text);

const decoded = ({ headers, body }) => {
  const encoding = headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  return body;
};
const status = async (port) => JSON.parse((await get(port, '/api/status', { Accept: 'application/json' })).body);

async function startCertificateAuthority(dir) {
  const port = await freePort();
  const ca = start(LOCAL_BINARY, ['ca', '--addr', `127.0.0.1:${port}`, '--dir', path.join(dir, 'ca')]);
  await until(
    'the local certificate authority',
    async () => fs.existsSync(path.join(dir, 'ca', 'ca.pem')) && (await canConnect(port)),
  );
  return { child: ca, port, caFile: path.join(dir, 'ca', 'ca.pem') };
}
const canConnect = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

// The box as scripts/run starts it, on free ports, with the settings in `dataDir`.
async function spawnBox(dataDir, ca) {
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const child = start(BINARY, [], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      // Passed through, so allocator settings can be compared run against run.
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
      RUST_LOG: 'warn',
      IOTBOX_DATA_DIR: dataDir,
      LEPTOS_SITE_ADDR: `127.0.0.1:${httpPort}`,
      IOTBOX_HTTPS_ADDR: `127.0.0.1:${httpsPort}`,
      LEPTOS_SITE_ROOT: SITE,
      IOTBOX_CERT_SERVER: `https://127.0.0.1:${ca.port}/odoo-enterprise/iot/x509`,
      IOTBOX_CERT_SERVER_CA: ca.caFile,
    },
  });
  return { child, pid: child.pid, port: httpPort };
}

function findCommand(name) {
  // /usr/sbin is not on every user's PATH, and Debian puts nginx there.
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  throw new Error(`${name} is not installed (scripts/install-tools.sh --bench installs it)`);
}

async function wrk(args) {
  const child = start(findCommand('wrk'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const { code } = await child.closed;
  const out = child.lastOutput;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  if (code !== 0 || !Number.isFinite(rps)) throw new Error(`wrk ${args.join(' ')} failed: ${out.trim()}`);
  // Errors or non-2xx answers would make the rate meaningless: say so next to it.
  const problems = [/Non-2xx or 3xx responses:\s+\d+/.exec(out)?.[0], /Socket errors:.*/.exec(out)?.[0]].filter(Boolean);
  return { rps, note: problems.length ? ` [${problems.join('; ')}]` : '' };
}
// Same load twice: 2 s so caches, allocator and CPU frequency settle, then the 10 s that count.
async function throughput(url, headers = []) {
  const headerArgs = headers.flatMap((h) => ['-H', h]);
  await wrk(['-t1', '-c16', '-d2s', ...headerArgs, url]);
  return wrk(['-t1', '-c16', '-d10s', ...headerArgs, url]);
}

// Same-origin resources a browser fetches on a first load: stylesheets, scripts, preloads,
// icons, and what inline scripts import. Leptos's hydration script builds its URLs from
// template literals, `${root}/${pkg_path}/${output_name}.js` and `${...}/${wasm_output_name}.wasm`,
// in a function called with those names as string literals: those are substituted here.
function pageResources(html, origin) {
  const found = new Map();
  const attr = (tag, name) => {
    const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
    return match && (match[1] ?? match[2] ?? match[3]).replace(/&amp;/g, '&');
  };
  const add = (href, how) => {
    if (!href) return;
    const url = new URL(href, origin);
    if (url.origin !== origin) return;
    const key = url.pathname + url.search;
    found.set(key, [...new Set([...(found.get(key) ?? []), how])]);
  };
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const kind = ['stylesheet', 'modulepreload', 'preload', 'icon'].find((r) => rel.includes(r));
    if (kind) add(attr(tag, 'href'), kind === 'preload' ? `preload as=${attr(tag, 'as')}` : kind);
  }
  for (const [, open, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    add(attr(open, 'src'), 'script');
    for (const [, , spec] of body.matchAll(/import\(\s*(["'])([^"']+)\1\s*\)/g)) add(spec, 'import()');
    const params = /^\s*\(?\s*(?:function\s*)?\(([^)]*)\)/.exec(body)?.[1].split(',').map((p) => p.trim());
    const args = /\}\)?\s*\)\s*\(((?:\s*"(?:[^"\\]|\\.)*"\s*,?)+)/.exec(body)?.[1].match(/"(?:[^"\\]|\\.)*"/g);
    if (!params || !args) continue;
    const values = Object.fromEntries(params.map((name, i) => [name, args[i] === undefined ? undefined : JSON.parse(args[i])]));
    for (const [, template] of body.matchAll(/`([^`]*\$\{[^`]*)`/g)) {
      const url = template.replace(/\$\{(\w+)\}/g, (_, name) => values[name] ?? '\0');
      if (!url.includes('\0') && /\.(js|mjs|wasm|css)$/.test(url)) add(url, 'hydration script');
    }
  }
  return found;
}

const rows = [];
// One figure: printed at once with its goal, and kept for the summary.
function figure(label, detail, measured, goal, met) {
  rows.push({ label, measured, goal, met: met === undefined ? 'n/a' : met ? 'yes' : 'no' });
  console.log(`   ${label}: ${measured}${detail}  (goal ${goal}: ${met === undefined ? 'n/a' : met ? 'met' : 'not met'})`);
}
let failed = false;
async function section(title, labels, measure) {
  console.log(`\n${title}`);
  try {
    await measure();
  } catch (error) {
    failed = true;
    console.log(`   error: ${error.message}`);
    for (const label of labels.filter((l) => !rows.some((r) => r.label === l))) rows.push({ label, measured: 'error', goal: '', met: 'n/a' });
  }
}

const stamp = fs.statSync(BINARY).mtime.toISOString().replace(/\.\d+Z$/, 'Z');
// The load average tells whether other work on the machine was skewing the rates.
console.log(
  `bench-page: ${os.cpus().length} cores, ${BINARY} (built ${stamp}), ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ` +
    `load average ${os.loadavg()[0].toFixed(2)} before the run`,
);

const work = tempDir('iotbox-bench-page-');
try {
  const ca = await startCertificateAuthority(work);
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir, { mode: 0o700 });
  fs.copyFileSync(DEMO_SETTINGS, path.join(dataDir, 'settings.toml'));
  fs.chmodSync(path.join(dataDir, 'settings.toml'), 0o600);
  let box = await spawnBox(dataDir, ca);
  await until('the box', () => status(box.port), 20_000).catch((error) => {
    throw new Error(`${error.message}: ${box.child.lastOutput.trim()}`);
  });
  // Measured once the box is as a user finds it: connected, with its real certificate.
  await until('the first certificate', async () => (await status(box.port)).certificate.state === 'ok', 30_000, 20);
  const restKiB = rssKiB(box.pid);

  await section('a. First load (as served, Accept-Encoding: br, gzip)', ['first load'], async () => {
    const origin = `http://127.0.0.1:${box.port}`;
    const page = await get(box.port, '/', { Accept: BROWSER_ACCEPT, 'Accept-Encoding': ENCODINGS });
    if (page.status !== 200) throw new Error(`GET / answered ${page.status}`);
    const fetched = [['/', ['document'], page]];
    for (const [url, how] of pageResources(decoded(page).toString('utf8'), origin)) {
      fetched.push([url, how, await get(box.port, url, { Accept: '*/*', 'Accept-Encoding': ENCODINGS })]);
    }
    const width = Math.max(...fetched.map(([url]) => url.length));
    let total = 0;
    for (const [url, how, response] of fetched) {
      total += response.body.length;
      const answered = response.status === 200 ? '' : ` [answered ${response.status}]`;
      console.log(
        `   ${url.padEnd(width)}  ${kb(response.body.length).padStart(9)}  ${(response.headers['content-encoding'] ?? 'identity').padEnd(8)}` +
          `  Cache-Control: ${response.headers['cache-control'] ?? '(none)'}  (${how.join(', ')})${answered}`,
      );
    }
    figure('first load', ` total over ${fetched.length} requests, bodies as received`, kb(total), '≤ 160 KB', total <= 160_000);
  });

  await section('b. Live status cost (an open page: GET /api/status/events, nothing changing)', ['live status cost'], async () => {
    const opened = Date.now();
    const stream = await openStream(box.port, '/api/status/events', STREAM_ACCEPT);
    if (stream.status !== 200 || !String(stream.headers['content-type']).startsWith('text/event-stream')) {
      throw new Error(`the status stream answered ${stream.status} ${stream.headers['content-type']}`);
    }
    try {
      const first = await stream.until(hasEvent('status'), 10_000);
      const firstAt = Date.now();
      console.log(
        `   opening: request ${first.sent} B + response head and first status ${first.received} B (${stream.headers['content-encoding'] ?? 'identity'}), ${firstAt - opened} ms`,
      );
      // Nothing changes: the next thing the box sends is its `alive`.
      const alive = await stream.until(hasEvent('alive'), 40_000);
      const quiet = (Date.now() - firstAt) / 1000;
      const each = alive.received - first.received;
      const events = stream.text.match(/^event: \w+$/gm);
      console.log(`   then ${each} B in ${quiet.toFixed(1)} s (${events.slice(1).join(', ')}), chunk framing included`);
      const perHour = first.sent + first.received + each * (3600 / quiet);
      figure('live status cost', ` (one stream an hour: opening + ${(3600 / quiet).toFixed(0)} × ${each} B)`, `${kb(perHour)}/hour`, '≤ 20 KB/hour', perHour <= 20_000);
    } finally {
      stream.close();
    }
    // What a script polling GET /api/status pays, for comparison.
    const headers = { Accept: 'application/json', 'Accept-Encoding': ENCODINGS };
    const full = await get(box.port, '/api/status', headers);
    const cost = await get(box.port, '/api/status', { ...headers, 'If-None-Match': full.headers.etag });
    console.log(`   for comparison, a poll of GET /api/status with If-None-Match (${cost.status}): ${cost.sent + cost.received} B, ${kb(360 * (cost.sent + cost.received))}/hour every 10 s`);
  });

  await section('c. Memory', ['RSS at rest', 'RSS after 200 polls', 'RSS with 200 open pages'], async () => {
    figure('RSS at rest', ' after start and first certificate', mib(restKiB), '≤ 12 MiB', restKiB / 1024 <= 12);
    // Each on its own connection, all at once, as 200 scripts polling together.
    const answers = await Promise.all(Array.from({ length: 200 }, () => get(box.port, '/api/status', { Accept: 'application/json' })));
    if (answers.some((a) => a.status !== 200)) throw new Error('a status poll was not answered 200');
    const afterKiB = rssKiB(box.pid);
    figure('RSS after 200 polls', ' after 200 simultaneous GET /api/status', mib(afterKiB), '≤ 16 MiB', afterKiB / 1024 <= 16);
    // 200 pages open at once, each with its stream, each having had its first status.
    const streams = await Promise.all(Array.from({ length: 200 }, () => openStream(box.port, '/api/status/events', STREAM_ACCEPT)));
    try {
      await Promise.all(streams.map((stream) => stream.until(hasEvent('status'), 20_000)));
      const openKiB = rssKiB(box.pid);
      figure('RSS with 200 open pages', ' 200 status streams open', mib(openKiB), '≤ 16 MiB', openKiB / 1024 <= 16);
    } finally {
      streams.forEach((stream) => stream.close());
    }
  });

  await section('d. Burst (wrk -t2 -c256 -d10s on /)', ['RSS after burst', 'RSS 20 s after burst'], async () => {
    const { rps, note } = await wrk(['-t2', '-c256', '-d10s', `http://127.0.0.1:${box.port}/`]);
    const afterKiB = rssKiB(box.pid);
    console.log(`   ${rps.toFixed(0)} req/s during the burst${note}`);
    figure('RSS after burst', ' right after', mib(afterKiB), '≤ 24 MiB', afterKiB / 1024 <= 24);
    await sleep(20_000);
    const laterKiB = rssKiB(box.pid);
    figure('RSS 20 s after burst', '', mib(laterKiB), '≤ 16 MiB', laterKiB / 1024 <= 16);
  });

  await section('e. Throughput next to nginx (wrk -t1 -c16 -d10s, each after 2 s of warm-up, one server at a time)', ['homepage box/nginx', 'status box/nginx'], async () => {
    // nginx serves the very bytes the box answers wrk's requests with (no Accept-Encoding).
    const html = (await get(box.port, '/')).body;
    const json = (await get(box.port, '/api/status', { Accept: 'application/json' })).body;
    const jsonAccept = ['Accept: application/json'];
    const boxHome = await throughput(`http://127.0.0.1:${box.port}/`);
    const boxStatus = await throughput(`http://127.0.0.1:${box.port}/api/status`, jsonAccept);
    await stop(box.child); // never both at once: they share 2 cores with wrk

    const nginxBinary = findCommand('nginx');
    const dir = tempDir('iotbox-bench-nginx-');
    // A root master hands requests to a worker running as nobody, which must read the files.
    fs.chmodSync(dir, 0o755);
    fs.mkdirSync(path.join(dir, 'www'), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'www', 'index.html'), html, { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'www', 'status.json'), json, { mode: 0o644 });
    const port = await freePort();
    // Temp paths of modules this nginx lacks (nginx-light) would be unknown directives.
    const built = spawnSync(nginxBinary, ['-V'], { encoding: 'utf8' }).stderr;
    const tempPaths = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .filter((m) => m === 'client_body' || !built.includes(`--without-http_${m}_module`))
      .map((m) => `  ${m}_temp_path ${dir}/${m};`);
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      [
        'worker_processes 1;',
        `error_log ${dir}/error.log warn;`,
        `pid ${dir}/nginx.pid;`,
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        '  gzip off;',
        ...tempPaths,
        '  server {',
        `    listen 127.0.0.1:${port};`,
        `    root ${dir}/www;`,
        '    types { }',
        '    location = / { default_type text/html; try_files /index.html =404; }',
        '    location = /api/status { default_type application/json; try_files /status.json =404; }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const nginx = start(nginxBinary, ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;']);
    try {
      const served = await until('nginx', async () => (await get(port, '/')).status === 200 && (await get(port, '/api/status')), 10_000).catch(
        (error) => {
          throw new Error(`${error.message}: ${nginx.lastOutput.trim()}`);
        },
      );
      if (served.headers['content-type'] !== 'application/json') throw new Error(`nginx serves /api/status as ${served.headers['content-type']}`);
      const nginxHome = await throughput(`http://127.0.0.1:${port}/`);
      const nginxStatus = await throughput(`http://127.0.0.1:${port}/api/status`, jsonAccept);
      for (const [name, label, bytes, ofBox, ofNginx, goal] of [
        ['/', 'homepage box/nginx', html.length, boxHome, nginxHome, 0.5],
        ['/api/status', 'status box/nginx', json.length, boxStatus, nginxStatus, 0.9],
      ]) {
        const ratio = ofBox.rps / ofNginx.rps;
        console.log(`   ${name} (${bytes} B body): box ${ofBox.rps.toFixed(0)} req/s${ofBox.note}, nginx ${ofNginx.rps.toFixed(0)} req/s${ofNginx.note}`);
        figure(label, ` (${name})`, `${ratio.toFixed(2)}×`, `≥ ${goal}×`, ratio >= goal);
      }
    } finally {
      await stop(nginx);
    }
  });

  await section('f. Cold start (spawn to the first GET / answered 200, certificate already there, 5 runs)', ['cold start'], async () => {
    await stop(box.child);
    const times = [];
    for (let run = 0; run < 5; run++) {
      const started = process.hrtime.bigint();
      box = await spawnBox(dataDir, ca);
      await until('the restarted box', async () => (await get(box.port, '/')).status === 200, 10_000, 2).catch((error) => {
        throw new Error(`${error.message}: ${box.child.lastOutput.trim()}`);
      });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      await stop(box.child);
    }
    console.log(`   runs: ${times.map((t) => t.toFixed(1)).join(', ')} ms; min ${Math.min(...times).toFixed(1)} ms`);
    figure('cold start', ` median (min ${Math.min(...times).toFixed(1)} ms)`, `${median(times).toFixed(1)} ms`, '≤ 100 ms', median(times) <= 100);
  });

  await section('g. Lighthouse (mobile, simulated throttling, Debian\'s Chromium headless)', ['Lighthouse performance', 'Largest Contentful Paint', 'Total Blocking Time'], async () => {
    box = await spawnBox(dataDir, ca);
    await until('the restarted box', async () => (await get(box.port, '/')).status === 200, 10_000);
    const lighthouse = path.join(REPO, 'scripts/bench/node_modules/.bin/lighthouse');
    if (!fs.existsSync(lighthouse)) throw new Error('Lighthouse is not installed (scripts/install-tools.sh --bench installs it)');
    const run = spawnSync(
      lighthouse,
      [
        `http://127.0.0.1:${box.port}/`,
        '--quiet',
        '--output=json',
        '--output-path=stdout',
        '--only-categories=performance',
        '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, CHROME_PATH: findCommand('chromium') }, timeout: 180_000 },
    );
    await stop(box.child);
    if (run.status !== 0) throw new Error(`lighthouse failed: ${(run.stderr || run.error || '').toString().trim().slice(-2000)}`);
    const report = JSON.parse(run.stdout);
    const score = Math.round(report.categories.performance.score * 100);
    const lcp = report.audits['largest-contentful-paint'].numericValue;
    const tbt = report.audits['total-blocking-time'].numericValue;
    console.log(`   Lighthouse ${report.lighthouseVersion}, ${report.configSettings.formFactor}, ${report.configSettings.throttlingMethod}; FCP ${report.audits['first-contentful-paint'].displayValue}`);
    figure('Lighthouse performance', '', `${score}`, '100', score >= 100);
    figure('Largest Contentful Paint', '', `${(lcp / 1000).toFixed(2)} s`, '≤ 1.2 s', lcp <= 1200);
    figure('Total Blocking Time', '', `${tbt.toFixed(0)} ms`, '≤ 50 ms', tbt <= 50);
  });

  console.log('\nSummary');
  const table = [{ label: 'figure', measured: 'measured', goal: 'goal', met: 'met?' }, ...rows];
  const widths = ['label', 'measured', 'goal'].map((key) => Math.max(...table.map((row) => row[key].length)));
  for (const row of table) console.log(`   ${row.label.padEnd(widths[0])} | ${row.measured.padEnd(widths[1])} | ${row.goal.padEnd(widths[2])} | ${row.met}`);
  await stop(ca.child);
} finally {
  await Promise.all([...children].map(stop));
  cleanUpNow();
}
process.exitCode = failed ? 1 : 0;
