// The headers every answer carries, and what they do in a real browser: the page's scripts
// run under its Content-Security-Policy without a single violation, and no other site can
// frame the page.
import { box, expect, test } from './box';

const violations = () => (window as unknown as { violations: string[] }).violations;

test('every answer carries the security headers; the page its own nonce policy', async ({ request }) => {
  const page = await request.get('/');
  const headers = page.headers();
  const policy = headers['content-security-policy'];
  const nonce = policy.match(/'nonce-([^']+)'/)![1];
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("'wasm-unsafe-eval'");
  expect(policy).not.toContain("'unsafe-eval'");
  expect(policy).not.toContain("'unsafe-inline'");
  // Every script the box writes into the page carries this response's nonce.
  const html = await page.text();
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  expect((await request.get('/')).headers()['content-security-policy']).not.toContain(nonce);

  for (const answer of [page, await request.get('/api/status'), await request.get('/', { headers: { Host: 'evil.example' } })]) {
    const headers = answer.headers();
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // Plain HTTP, by IP address: never HSTS.
    expect(headers['strict-transport-security']).toBeUndefined();
  }
  expect((await request.get('/api/status')).headers()['content-security-policy']).toBe(
    "default-src 'none'; frame-ancestors 'none'",
  );
});

test('the page runs under its policy without a violation', async ({ page, javaScriptEnabled }) => {
  const messages: string[] = [];
  page.on('console', (message) => {
    // The device check may fail to open the HTTPS address from this browser (it does not
    // trust the local root): that failure is the check's finding, reported on the page.
    if (message.location().url.includes('/api/https-check')) return;
    if (message.type() === 'error' || message.text().includes('Content Security Policy')) messages.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { violations: string[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Advanced details' }).click();
  await expect(page.getByLabel('Server address')).toBeVisible();
  if (javaScriptEnabled) {
    // Hydrated: the details opened in place, by the page's own code.
    await expect(page).toHaveURL(/\/$/);
    expect(await page.evaluate(violations)).toEqual([]);
  }
  expect(messages).toEqual([]);
});

test('another site cannot frame the page', async ({ page }) => {
  await page.setContent(`<iframe src="${box().url}/" width="600" height="400"></iframe>`);
  // Chromium shows its own error page in a frame the framed site refuses.
  await expect.poll(() => page.frames()[1]?.url(), { timeout: 5_000 }).toMatch(/^chrome-error:/);
});
