// The live log in the advanced details: the last lines, newest last, filtered by level with a
// plain GET form, following the box with JavaScript (a reload without), and never a secret.
import { CONNECTED, DEMO_CREDENTIAL, eventually, expect, removeSettings, test, writeSettings } from './box';

test.afterEach(() => removeSettings());

test('the log view follows the box, filters by level and shows no secret', async ({ page, javaScriptEnabled }) => {
  await page.goto('/?advanced');
  const lines = page.getByTestId('log-lines');
  await expect(lines).toBeVisible();

  // Something happens on the box: a credential saved, from elsewhere.
  writeSettings(CONNECTED);
  const saved = await page.request.post('/api/credential/save', { form: DEMO_CREDENTIAL });
  expect(saved.ok()).toBe(true);
  await eventually(page, javaScriptEnabled, () =>
    expect(lines).toContainText('credential saved', { timeout: 1_000 }),
  );
  const text = await lines.innerText();
  expect(text).not.toContain(DEMO_CREDENTIAL.contract_number);
  expect(text).not.toContain(DEMO_CREDENTIAL.db_uuid);

  // Warnings and errors only: the info line goes; the choice is in the address, kept on reload.
  await page.getByLabel('Level', { exact: true }).selectOption('warning');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(/[?&]log=warning/);
  await expect(page.getByLabel('Level', { exact: true })).toHaveValue('warning');
  await expect(page.locator('#logs')).not.toContainText('credential saved');
  for (const level of await page.locator('#logs .log-line').evaluateAll((items) => items.map((item) => item.getAttribute('data-level')))) {
    expect(['warning', 'error']).toContain(level);
  }
  await page.reload();
  await expect(page.getByLabel('Level', { exact: true })).toHaveValue('warning');
  await expect(page.locator('#advanced-details')).toBeVisible();
});
