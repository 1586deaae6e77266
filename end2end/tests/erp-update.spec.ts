// Telling the ERP, as a shop owner sees it: a box of its own, connected to a stand-in Odoo
// server on loopback, gets its certificate from the project's authority, tells the Odoo
// server the end date, and says so under the cogs. An Odoo server that fails is named there,
// and the certificate is served all the same.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { startBoxProcess } from '../processes';
import { DEMO_CREDENTIAL, Page, expect, test } from './box';
import { ownFolder, projectCa, stopOwnProcesses, track } from './own-boxes';

type Told = { url: string; params: { identifier: string; ssl_certificate_end_date: string } };
const servers: http.Server[] = [];

test.afterEach(async () => {
  await stopOwnProcesses();
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A stand-in Odoo server answering `status`, with Odoo's JSON-RPC `result` when it is 200;
 * gives its address and what it was told. */
async function odooServer(status: number): Promise<[string, Told[]]> {
  const told: Told[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      told.push({ url: request.url ?? '', ...JSON.parse(body) });
      const answer = status === 200 ? { jsonrpc: '2.0', id: null, result: null } : {};
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return [`http://127.0.0.1:${(server.address() as AddressInfo).port}`, told];
}

/** A box connected to `odoo` with the demo credential, asking the project's authority. */
async function boxConnectedTo(name: string, odoo: string) {
  const dir = ownFolder(name);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'data', 'settings.toml'),
    `[odoo]\nserver_url = "${odoo}"\n\n[credential]\ndb_uuid = "${DEMO_CREDENTIAL.db_uuid}"\n` +
      `contract_number = "${DEMO_CREDENTIAL.contract_number}"\n`,
  );
  const own = await startBoxProcess(dir, projectCa().url, projectCa().file, { IOTBOX_POLL_INTERVAL: '1s' });
  track(own.child);
  return own;
}

/** Waits until the box has taken the Odoo server's answer in: a page without JavaScript
 * shows only what the box knew when it was rendered. */
async function boxHeardBack(page: Page, box: string) {
  await expect.poll(async () => (await (await page.request.get(`${box}/api/status`)).json()).erp_update).toBeTruthy();
}

test('the Odoo server is told the end date, and the page says when', async ({ page }) => {
  const [odoo, told] = await odooServer(200);
  const own = await boxConnectedTo('told', odoo);
  await expect.poll(() => told.length).toBe(1);
  expect(told[0].url).toBe('/iot/box/update_certificate_status');
  // Naive UTC, as Odoo reads a Datetime field.
  expect(told[0].params.ssl_certificate_end_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

  await boxHeardBack(page, own.url);
  await page.goto(`${own.url}/?advanced`);
  await expect(page.getByTestId('https-certificate').locator('dd')).toContainText('Valid until');
  await expect(page.getByTestId('erp-update').locator('dd')).toHaveText(/^Yes, on \S/);
});

test('an Odoo server that fails is named, and the certificate is served all the same', async ({ page }) => {
  const [odoo, told] = await odooServer(500);
  const own = await boxConnectedTo('failing', odoo);
  await expect.poll(() => told.length).toBe(1);

  await boxHeardBack(page, own.url);
  await page.goto(`${own.url}/?advanced`);
  await expect(page.getByTestId('https-certificate').locator('dd')).toContainText('Valid until');
  await expect(page.getByTestId('erp-update').locator('dd')).toContainText('No: the Odoo server answered 500');
});
