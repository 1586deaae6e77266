// What a browser keeps: the page's files, named by their content's hash, for a year; the
// page itself, never. Both travel compressed.
import { expect, test } from './box';

test('hashed files are kept for a year, the page never, all compressed', async ({ request }) => {
  const page = await request.get('/', { headers: { Accept: 'text/html', 'Accept-Encoding': 'br, gzip' } });
  expect(page.headers()['cache-control']).toBe('no-store');
  expect(page.headers()['content-encoding']).toBe('br');
  const html = await page.text();
  const files = [...new Set(html.match(/\/pkg\/[^"'\s]+/g) ?? [])];
  // The styles, the script and the WASM, each with a hash in its name.
  expect(files.map((f) => f.replace(/\.[A-Za-z0-9_-]{22}\./, '.HASH.')).sort()).toEqual([
    '/pkg/iotbox.HASH.css',
    '/pkg/iotbox.HASH.js',
    '/pkg/iotbox.HASH.wasm',
  ]);
  for (const file of files) {
    const response = await request.get(file, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(response.status(), file).toBe(200);
    expect(response.headers()['cache-control'], file).toBe('public, max-age=31536000, immutable');
    expect(response.headers()['content-encoding'], file).toBe('br');
  }

  // A name the build did not hash may change under the same name: asked about again.
  const favicon = await request.get('/favicon.svg');
  expect(favicon.headers()['cache-control']).toBe('no-cache');
  const status = await request.get('/api/status', { headers: { Accept: 'application/json', 'Accept-Encoding': 'gzip' } });
  expect(status.headers()['cache-control']).toBe('no-store');
  expect(status.headers()['content-encoding']).toBe('gzip');
});
