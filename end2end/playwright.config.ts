import { defineConfig, devices } from '@playwright/test';
import * as path from 'node:path';

/** Where the box under test writes its files; the web server command starts it empty. */
export const DATA_DIR = path.resolve(__dirname, '../target/e2e/data');
export const PORT = 3100;
export const HTTPS_PORT = 3543;
/** The local certificate authority the box under test asks for its certificate. */
export const CA_DIR = path.resolve(__dirname, '../target/e2e/local-ca');
export const CA_PORT = 3190;
const SITE_ROOT = path.resolve(__dirname, '../target/site');
const BINARY = path.resolve(__dirname, '../target/release/iotbox');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    // Debian's Chromium: browser downloads are not possible here.
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  },
};

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../target/e2e/results.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'js-on', use: { ...chromium, javaScriptEnabled: true } },
    { name: 'js-off', use: { ...chromium, javaScriptEnabled: false } },
  ],
  webServer: [
    {
      // The local certificate authority, with a new root for every run.
      command: `rm -rf "${CA_DIR}" && exec "${BINARY}" local-ca --dir "${CA_DIR}" --addr 127.0.0.1:${CA_PORT}`,
      env: { RUST_LOG: 'info' },
      port: CA_PORT,
      reuseExistingServer: false,
      timeout: 30_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    {
      // The real release binary, on loopback, with an empty data directory of its own.
      command: `rm -rf "${DATA_DIR}" && while [ ! -s "${CA_DIR}/ca.pem" ]; do sleep 0.1; done && exec "${BINARY}"`,
      env: {
        IOTBOX_DATA_DIR: DATA_DIR,
        LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
        LEPTOS_SITE_ROOT: SITE_ROOT,
        IOTBOX_HTTPS_ADDR: `127.0.0.1:${HTTPS_PORT}`,
        IOTBOX_CERT_SERVER: `https://127.0.0.1:${CA_PORT}/odoo-enterprise/iot/x509`,
        IOTBOX_CERT_SERVER_CA: `${CA_DIR}/ca.pem`,
        // Fast polling so the live-update tests take seconds.
        IOTBOX_POLL_INTERVAL: '1s',
        RUST_LOG: 'info',
      },
      url: `http://127.0.0.1:${PORT}/api/status`,
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
