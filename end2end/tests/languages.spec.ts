// The page in the shop owner's language: chosen from the browser's Accept-Language, or by
// the switch on the page (remembered), with dates as people of that language write them.
import AxeBuilder from '@axe-core/playwright';
import {
  CONNECTED,
  Page,
  demoSettings, eventually, expect, forgetCertificate, removeSettings, test, writeSettings } from './box';

test.afterEach(() => removeSettings());

type Language = {
  locale: string;
  lang: string;
  /** Where a shop of this language is: the browser shows times in its zone. */
  timezoneId: string;
  zoneName: RegExp;
  noCredential: string;
  enterCredential: string;
  save: string;
  contractNumberMissing: string;
  validUntil: string;
  months: string[];
};

const LANGUAGES: Language[] = [
  {
    locale: 'it-IT',
    lang: 'it',
    timezoneId: 'Europe/Rome',
    zoneName: /CET|CEST|GMT\+1|GMT\+2|UTC\+1|UTC\+2/,
    noCredential: 'Manca la credenziale',
    enterCredential: 'Inserisci la credenziale',
    save: 'Salva',
    contractNumberMissing: 'Inserisci il numero di contratto.',
    validUntil: 'Certificato HTTPS valido fino al giorno',
    months: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  },
  {
    locale: 'vi-VN',
    lang: 'vi',
    timezoneId: 'Asia/Ho_Chi_Minh',
    zoneName: /GMT\+7|ICT|UTC\+7/,
    noCredential: 'Thiếu thông tin xác thực',
    enterCredential: 'Nhập thông tin xác thực',
    save: 'Lưu',
    contractNumberMissing: 'Nhập số hợp đồng.',
    validUntil: 'Chứng chỉ HTTPS có hiệu lực đến',
    months: Array.from({ length: 12 }, (_, i) => `tháng ${i + 1}`),
  },
];

/** A long date in `months`' language: "25 gennaio 2027", "25 tháng 1, 2027". */
const longDate = (language: Language) =>
  new RegExp(`\\d{1,2} (${language.months.join('|')})\\b.*\\d{4}`);

/** What the browser itself writes for `timestamp`, in its language and zone. */
function browserWrites(page: Page, timestamp: string, lang: string, withTime: boolean): Promise<string> {
  return page.evaluate(
    ([timestamp, lang, withTime]) =>
      new Intl.DateTimeFormat(lang as string, {
        year: 'numeric', month: 'long', day: 'numeric',
        ...(withTime ? { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' } : {}),
      }).format(new Date(timestamp as string)),
    [timestamp, lang, withTime] as const,
  );
}

for (const language of LANGUAGES) {
  test.describe(`a browser that prefers ${language.locale}`, () => {
    test.use({ locale: language.locale, timezoneId: language.timezoneId });

    test('gets the whole page in its language, error codes as they are', async ({ page }) => {
      writeSettings(CONNECTED);
      forgetCertificate();
      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
      await expect(page.getByTestId('error-code')).toHaveText('ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL');
      await expect(page.getByTestId('banner')).toContainText(language.noCredential);
      // No English left in the banner's words.
      await expect(page.getByTestId('banner')).not.toContainText('credential is missing');
      await page.getByRole('link', { name: language.enterCredential }).click();
      await page.getByRole('button', { name: language.save, exact: true }).click();
      await expect(page.getByTestId('contract_number-message')).toHaveText(language.contractNumberMissing);
    });

    test('reads dates as people of its language write them', async ({ page, javaScriptEnabled }) => {
      forgetCertificate();
      writeSettings(demoSettings());
      await page.goto('/?advanced');
      const title = page.getByTestId('banner').locator('h2');
      await eventually(page, javaScriptEnabled, () => expect(title).toContainText(language.validUntil, { timeout: 2_000 }));
      await expect(title).toHaveText(longDate(language));
      const status = await (await page.request.get('/api/status')).json();
      // The JSON API keeps RFC 3339.
      expect(status.certificate.not_after).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const attempts = page.getByTestId('certificate-attempts').locator('dd');
      if (javaScriptEnabled) {
        // In the browser's zone, exactly as the browser writes it.
        const date = await browserWrites(page, status.certificate.not_after, language.lang, false);
        await expect(title).toHaveText(`${language.validUntil} ${date}`);
        await expect(attempts).toContainText(await browserWrites(page, status.certificate.last_attempt, language.lang, true));
        await expect(attempts).toContainText(language.zoneName);
      } else {
        // As served: in UTC, and saying so.
        await expect(attempts).toContainText('UTC');
        await expect(attempts).toContainText(longDate(language));
      }
      await expect(page.getByTestId('https-certificate').locator('dd')).toHaveText(longDate(language));
    });

    test('has no WCAG 2.1 AA violation in its language', async ({ page, javaScriptEnabled }) => {
      test.skip(!javaScriptEnabled, 'axe needs JavaScript to run');
      writeSettings(CONNECTED);
      forgetCertificate();
      await page.goto('/?advanced');
      await expect(page.getByTestId('banner')).toBeVisible();
      await page.getByRole('button', { name: language.save, exact: true }).click();
      await expect(page.getByTestId('contract_number-message')).toHaveText(language.contractNumberMissing);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  });
}

test.describe('the language switch', () => {
  test.use({ locale: 'it-IT' });

  test('changes the page and is remembered, with or without JavaScript', async ({ page, context }) => {
    writeSettings(CONNECTED);
    forgetCertificate();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'it');
    await page.getByLabel('Lingua').selectOption('vi');
    await page.getByRole('button', { name: 'Cambia' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
    await expect(page.getByTestId('banner')).toContainText('Thiếu thông tin xác thực');
    // A language named in itself, whatever the page's language.
    await expect(page.getByRole('option', { name: 'Italiano' })).toHaveAttribute('lang', 'it');

    // Remembered over the browser's preference, on this browser only.
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
    const cookie = (await context.cookies()).find((c) => c.name === 'iotbox_language');
    expect(cookie?.value).toBe('vi');
    expect(cookie?.sameSite).toBe('Strict');

    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('button', { name: 'Đổi' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('banner')).toContainText('The credential is missing');
  });

  test('refuses a language the page does not have', async ({ page }) => {
    const response = await page.request.post('/api/language', {
      form: { language: 'xx' },
      headers: { Accept: 'application/json' },
    });
    expect(response.ok()).toBe(false);
    expect(response.headers()['set-cookie']).toBeUndefined();
  });
});
