import { describe, expect, test } from 'vitest';
import { contextFor, SYSTEM } from '../../src/core/context.ts';
import { issueSetupToken } from '../../src/modules/accounts/setup.service.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';

// The first-run setup form in Chromium, with its "remove the demo data" box checked by default.
describe.skipIf(browserUnavailable())('the setup page in Chromium', () => {
  const s = setupBrowserSuite();

  test.each([320, 1024])('is axe-clean at %i px, without sideways scroll, offering to remove the demo data', async (width) => {
    const token = (await issueSetupToken(contextFor(s.site.app.services, SYSTEM)))!;
    const page = await s.newPage({ viewport: { width, height: 800 } });
    expect((await page.goto(`${s.baseUrl}/setup?token=${token}`))?.status()).toBe(200);
    expect(await page.getByLabel('Remove the demo businesses and their reports').isChecked()).toBe(true);
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
});
