// Which names the box answers to, over the wire as real clients speak: HTTP/1.1 and HTTP/2
// on the HTTPS port, HTTP/1.x on the plain one. A name that is not the box's is refused
// (DNS rebinding), whichever way the request carries it.
import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { box, expect, test } from './box';

test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'no browser involved: once is enough');

/** The status of `GET /api/status` over HTTP/2, the host named in `:authority` only. */
function overHttp2(authority: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${box().httpsPort}`, { rejectUnauthorized: false });
    session.on('error', reject);
    const request = session.request({ ':path': '/api/status', ':authority': authority });
    request.on('response', (headers) => {
      resolve(Number(headers[':status']));
      session.close();
    });
    request.on('error', reject);
    request.end();
  });
}

/** The status of `GET /api/status` over HTTP/1.1 and TLS, with this `Host`. */
function overHttps(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      { host: '127.0.0.1', port: box().httpsPort, path: '/api/status', headers: { Host: host }, rejectUnauthorized: false },
      (response) => {
        response.resume();
        resolve(response.statusCode!);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** The status line of an HTTP/1.0 request without any `Host`, written by hand. */
function withoutHost(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('end', () => resolve(received.split('\r\n')[0]));
    socket.on('error', reject);
    socket.write('GET /api/status HTTP/1.0\r\n\r\n');
  });
}

test('HTTP/2 and HTTP/1.1 on the HTTPS port answer the box names only', async () => {
  expect(await overHttp2('127.0.0.1')).toBe(200);
  expect(await overHttp2('evil.example')).toBe(403);
  expect(await overHttps('127.0.0.1')).toBe(200);
  expect(await overHttps('evil.example')).toBe(403);
});

test('a request that names no host is refused on the HTTPS port only', async () => {
  const secure = tls.connect({ host: '127.0.0.1', port: box().httpsPort, rejectUnauthorized: false });
  await new Promise((resolve) => secure.once('secureConnect', resolve));
  expect(await withoutHost(secure)).toMatch(/^HTTP\/1\.[01] 403/);
  const port = Number(new URL(box().url).port);
  expect(await withoutHost(net.connect({ host: '127.0.0.1', port }))).toMatch(/^HTTP\/1\.[01] 200/);
});
