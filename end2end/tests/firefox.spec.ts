// The page in another engine: Debian's Firefox ESR, driven through geckodriver (W3C
// WebDriver), hydrates under the box's Content-Security-Policy without a violation. Firefox
// reports a violation to the box, which logs it; the log must stay clean of them.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { expect, test } from './box';
import { E2E_DIR } from './boxes';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const CSP_LOG_LINE = 'blocked part of the page (Content-Security-Policy)';

test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'Firefox runs with its JavaScript on');

/** geckodriver on a port the system gives, and the base URL of its WebDriver API. */
async function startGeckodriver(): Promise<[ChildProcess, string]> {
  const driver = spawn('geckodriver', ['--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Firefox's own chatter, kept for when something goes wrong.
  driver.stderr!.pipe(fs.createWriteStream(path.join(E2E_DIR, 'firefox.log')));
  const lines = readline.createInterface({ input: driver.stdout! });
  const port = await new Promise<string>((resolve, reject) => {
    driver.on('exit', (code) => reject(new Error(`geckodriver stopped with ${code}`)));
    lines.on('line', (line) => {
      const listening = line.match(/Listening on 127\.0\.0\.1:(\d+)/);
      if (listening) resolve(listening[1]);
    });
  });
  return [driver, `http://127.0.0.1:${port}`];
}

async function webdriver(url: string, method: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${method} ${url}: ${JSON.stringify(answer.value)}`);
  return answer.value;
}

test('Firefox hydrates the page under its policy, without a violation', async ({ baseURL, request }) => {
  test.slow();
  const [driver, api] = await startGeckodriver();
  try {
    const session = await webdriver(`${api}/session`, 'POST', {
      capabilities: {
        alwaysMatch: { 'moz:firefoxOptions': { binary: FIREFOX, args: ['-headless'] } },
      },
    });
    const base = `${api}/session/${session.sessionId}`;
    const run = (script: string) => webdriver(`${base}/execute/sync`, 'POST', { script, args: [] });
    try {
      const reports = async () => (await (await request.get('/api/logs')).text()).split(CSP_LOG_LINE).length - 1;
      const before = await reports();
      await webdriver(`${base}/url`, 'POST', { url: `${baseURL}/` });
      // The page says when it is live; a first Firefox on a fresh machine can take a while.
      await expect
        .poll(() => run("return document.body.hasAttribute('data-hydrated');"), { timeout: 30_000 })
        .toBe(true);
      // Hydrated: the cogs button opens the details in place, without loading a new page.
      await run("window.samePage = true; document.querySelector('button.cogs').click();");
      await expect
        .poll(() => run("return window.samePage === true && !document.getElementById('advanced-details').hidden;"))
        .toBe(true);
      // Firefox sends its reports in the background: give them a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await reports(), 'Content-Security-Policy reports from Firefox').toBe(before);

      // The instrument works: a script without the nonce is blocked, and reported.
      await run("const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s);");
      expect(await run('return window.injected === undefined;')).toBe(true);
      await expect.poll(reports, { timeout: 10_000 }).toBeGreaterThan(before);
    } finally {
      await webdriver(base, 'DELETE');
    }
  } finally {
    driver.kill('SIGTERM');
  }
});
