// The diagnostics of the way to the certificate server in the page, for each cause they
// tell apart: a box of its own per cause,
// asking a certificate server that fails that way (an untrusted issuer, a refused port, a
// port that drops connections, a name that does not resolve, a server that hangs or answers
// 503). The box diagnoses the failure by itself; the banner shows the verdict, its fix and
// each step. With JavaScript on the page follows; without, the user reloads.
import * as net from 'node:net';
import * as path from 'node:path';
import { startLocalCa, StartedBox } from '../processes';
import { expect, Page, test } from './box';
import { ownBox, ownFolder, projectCa, stopOwnProcesses, track } from './own-boxes';

const X509 = '/odoo-enterprise/iot/x509';
const servers: net.Server[] = [];

test.afterEach(async () => {
  await stopOwnProcesses();
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A connected box with the demo credential, asking `certServer`: it fails at once. */
function failingBox(name: string, certServer: string, certServerCa?: string): Promise<StartedBox> {
  return ownBox(name, certServer, certServerCa, { IOTBOX_CERT_SERVER_TIMEOUT: '2s' });
}

/** A local certificate authority of this test's own, playing `fault`. */
async function localCa(name: string, fault: string): Promise<[string, string]> {
  const ca = await startLocalCa(ownFolder(`${name}-ca`), ['--fault', fault]);
  track(ca.child);
  return [ca.url, ca.caFile];
}

/** A port bound and then closed: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((closed) => server.close(closed));
  return port;
}

/** A port that accepts connections and drops them at once. */
async function droppingPort(): Promise<number> {
  const server = net.createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return (server.address() as net.AddressInfo).port;
}

/** Opens `url` and waits until the banner shows the diagnosis `verdict`. */
async function diagnosisShown(page: Page, javaScriptEnabled: boolean, url: string, verdict: string) {
  await page.goto(url);
  await expect(async () => {
    if (!javaScriptEnabled) await page.goto(url);
    await expect(page.getByTestId('diagnosis-verdict')).toHaveAttribute('data-verdict', verdict, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

const step = (page: Page, name: string) => page.locator(`[data-step="${name}"]`);

type Case = {
  name: string;
  code: string;
  verdict: string;
  title: string;
  fix: string;
  /** Each step's outcome, in order. */
  outcomes: [string, string, string, string];
  certServer: () => Promise<[string, string | undefined]>;
};

const CASES: Case[] = [
  {
    name: 'untrusted issuer',
    code: 'ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION',
    verdict: 'intercepted',
    title: 'Something else answers in the certificate server\'s place',
    fix: 'Exempt the box from HTTPS inspection',
    outcomes: ['worked', 'worked', 'failed', 'not tried'],
    // The project's own CA, not trusted by this box: as an HTTPS-inspecting proxy looks.
    certServer: async () => [projectCa().url, undefined],
  },
  {
    name: 'refused port',
    code: 'ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION',
    verdict: 'blocked',
    title: 'Something blocks the box\'s connection',
    fix: 'port 443',
    outcomes: ['worked', 'failed', 'not tried', 'not tried'],
    certServer: async () => [`https://127.0.0.1:${await closedPort()}${X509}`, undefined],
  },
  {
    name: 'dropped connections',
    code: 'ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION',
    verdict: 'cut',
    title: 'The connection to the certificate server is cut',
    fix: 'firewall, proxy or VPN',
    outcomes: ['worked', 'worked', 'failed', 'not tried'],
    certServer: async () => [`https://127.0.0.1:${await droppingPort()}${X509}`, undefined],
  },
  {
    name: 'no such host',
    code: 'ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION',
    verdict: 'no_dns',
    title: 'The box cannot find the certificate server',
    fix: 'Google DNS, 8.8.8.8',
    outcomes: ['failed', 'not tried', 'not tried', 'not tried'],
    certServer: async () => [`https://no-such-host.invalid${X509}`, undefined],
  },
  {
    name: 'server error',
    code: 'ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503',
    verdict: 'server_error',
    title: 'The certificate server answers with an error (503)',
    fix: 'down; if so, wait',
    outcomes: ['worked', 'worked', 'worked', 'failed'],
    certServer: () => localCa('server-error', 'status 503'),
  },
  {
    name: 'hanging server',
    code: 'ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION',
    verdict: 'silent',
    title: 'The certificate server does not answer',
    fix: 'the box tries again by itself',
    outcomes: ['worked', 'worked', 'worked', 'failed'],
    certServer: () => localCa('hang', 'hang'),
  },
];

for (const c of CASES) {
  test(`diagnostics: ${c.name} is told apart, with its fix`, async ({ page, javaScriptEnabled }) => {
    const [certServer, ca] = await c.certServer();
    const failing = await failingBox(c.name.replaceAll(' ', '-'), certServer, ca);
    await diagnosisShown(page, javaScriptEnabled, failing.url, c.verdict);
    await expect(page.getByTestId('error-code')).toHaveText(c.code);
    const diagnosis = page.getByTestId('diagnosis');
    await expect(diagnosis).toContainText(c.title);
    await expect(page.getByTestId('diagnosis-fix')).toContainText(c.fix);
    for (const [index, name] of ['dns', 'tcp', 'tls', 'http'].entries()) {
      await expect(step(page, name)).toHaveAttribute('data-outcome', c.outcomes[index]);
    }
    // The failing step says what happened and how long it took.
    await expect(diagnosis.locator('[data-outcome="failed"]')).toContainText(/\(\d+ ms\)/);
  });
}

test('"Run diagnostics" runs them again, at most every 10 seconds', async ({ page, javaScriptEnabled }) => {
  test.setTimeout(60_000);
  const failing = await failingBox('run-again', `https://127.0.0.1:${await closedPort()}${X509}`);
  await diagnosisShown(page, javaScriptEnabled, failing.url, 'blocked');
  const first = await page.getByTestId('diagnosis-at').getAttribute('data-at');

  // Within 10 s of the last run, the button gives that run again.
  const run = page.getByTestId('banner').getByTestId('run-diagnostics');
  await run.click();
  await expect(page.getByTestId('diagnosis-at')).toHaveAttribute('data-at', first!);

  // The time is to the second: 12 s after it is surely 10 s after the run started.
  await page.waitForTimeout(Math.max(0, Date.parse(first!) + 12_000 - Date.now()));
  await run.click();
  await expect(page.getByTestId('diagnosis-at')).not.toHaveAttribute('data-at', first!);
  await expect(page.getByTestId('diagnosis-verdict')).toHaveAttribute('data-verdict', 'blocked');
});
