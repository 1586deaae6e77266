// What a browser keeps: the page's files, named by their content's hash, for a year; the
// page itself, never. Both travel compressed.
import { expect, test } from './box';

test('hashed files are kept for a year, the page never, all compressed', async ({ request }) => {
  const page = await request.get('/', { headers: { Accept: 'text/html', 'Accept-Encoding': 'br, gzip' } });
  expect(page.headers()['cache-control']).toBe('no-store');
  expect(page.headers()['content-encoding']).toBe('br');
  const html = await page.text();
  // The styles are linked; the script and the WASM are named to the loader, which fetches
  // them once the page is loaded.
  const loader = /\("", "pkg", "([^"]+)", "([^"]+)"\);/.exec(html);
  expect(loader).not.toBeNull();
  const files = [...new Set([...(html.match(/\/pkg\/[^"'\s]+/g) ?? []), `/pkg/${loader![1]}.js`, `/pkg/${loader![2]}.wasm`])];
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
  expect(status.headers()['cache-control']).toBe('no-cache');
  expect(status.headers()['content-encoding']).toBe('gzip');
});

test('a status poll that finds nothing changed is answered with headers only', async ({ request }) => {
  const json = { Accept: 'application/json' };
  const first = await request.get('/api/status', { headers: json });
  const tag = first.headers()['etag'];
  expect(tag).toMatch(/^W\/"[0-9a-f]{16}"$/);
  // Twice: the state can change between two reads (a certificate request, a clock tick).
  await expect(async () => {
    const again = await request.get('/api/status', { headers: { ...json, 'If-None-Match': tag } });
    expect(again.status()).toBe(304);
    expect(await again.body()).toHaveLength(0);
    expect(again.headers()['etag']).toBe(tag);
  }).toPass({ timeout: 5_000 });
  const other = await request.get('/api/status', { headers: { ...json, 'If-None-Match': 'W/"0000000000000000"' } });
  expect(other.status()).toBe(200);
  expect((await other.json()).version).toBeTruthy();
});

test('an open page is told nothing while nothing changes: its status once, then silence', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'reads the stream from the page');
  await page.goto('/');
  const { contentType, cacheControl, encoding, text } = await page.evaluate(async () => {
    const response = await fetch('/api/status/events', { headers: { Accept: 'text/event-stream' } });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = Date.now() + 3_500; // three and a half of the test box's poll intervals
    while (Date.now() < until) {
      const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), until - Date.now()))]);
      if (!next || next.done) break;
      text += decoder.decode(next.value);
    }
    await reader.cancel();
    return {
      contentType: response.headers.get('content-type'),
      cacheControl: response.headers.get('cache-control'),
      encoding: response.headers.get('content-encoding'),
      text,
    };
  });
  expect(contentType).toBe('text/event-stream');
  expect(cacheControl).toBe('no-cache');
  // Streamed as it comes: a compressor would hold events back.
  expect(encoding).toBeNull();
  expect(text.match(/^event: \w+$/gm)).toEqual(['event: status']);
  expect(JSON.parse(/^data: (.*)$/m.exec(text)![1]).version).toBeTruthy();
});
