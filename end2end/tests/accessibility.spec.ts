// WCAG 2.1 AA, checked by axe in Chromium, on the page as a shop owner sees it.
import AxeBuilder from '@axe-core/playwright';
import { CONNECTED, Page, expect, removeSettings, test, writeSettings } from './box';

test.afterEach(() => removeSettings());
// axe runs as a script in the page; without JavaScript the server sends the same HTML.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'axe needs JavaScript to run');

async function violations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('no WCAG 2.1 AA violation, cogs menu closed and open', async ({ page }) => {
  writeSettings(CONNECTED);
  await page.goto('/');
  await expect(page.getByTestId('banner')).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Advanced details' }).click();
  await expect(page.getByLabel('Contract number')).toBeVisible();
  expect(await violations(page)).toEqual([]);

  // With the error messages of a refused form shown.
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('contract_number-message')).toContainText('Enter');
  expect(await violations(page)).toEqual([]);
});
