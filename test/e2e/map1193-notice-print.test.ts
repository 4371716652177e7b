import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailable, setupBrowserSuite } from '../helpers/browser.ts';

// The printed notice as a business prints it: Chromium's PDF, read back with poppler
// (`apt-get install poppler-utils`). The law asks for 16-point type on one sheet of at least
// 8.5 × 11 inches per language.

const MIN_PT = 16;
const PAPER = { letter: { width: 612, height: 792 }, legal: { width: 612, height: 1008 } } as const;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-notice-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let serial = 0;
async function printToPdf(page: Page): Promise<string> {
  const file = path.join(work, `notice-${++serial}.pdf`);
  fs.writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  return file;
}

/** Pages as pdftoppm renders them: one PNG a page. */
function renderedPages(pdf: string): number {
  const prefix = path.join(work, `render-${path.basename(pdf, '.pdf')}`);
  execFileSync('pdftoppm', ['-r', '24', '-png', pdf, prefix]);
  return fs.readdirSync(work).filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.png')).length;
}

/** Each page's size in points, from pdfinfo. */
function pageSizes(pdf: string): { width: number; height: number }[] {
  const out = execFileSync('pdfinfo', ['-f', '1', '-l', '99', pdf], { encoding: 'utf8' });
  return [...out.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ width: Math.round(Number(m[1])), height: Math.round(Number(m[2])) }));
}

type Word = { text: string; height: number };

/** The words on each page with their box heights in points (poppler: font size × the font's ascent + descent). */
function wordsByPage(pdf: string): Word[][] {
  const xml = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8' });
  return xml.split('<page ').slice(1).map((page) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      text: m[5]!,
      height: Number(m[4]) - Number(m[2]),
    })),
  );
}

const smallest = (words: Word[]) => words.reduce((min, w) => (w.height < min.height ? w : min), { text: '', height: Infinity });

describe.skipIf(browserUnavailable())('the printed § 52.6 notice', () => {
  const s = setupBrowserSuite();

  async function open(query: string): Promise<Page> {
    const page = await s.newPage();
    const response = await page.goto(`${s.baseUrl}/map1193/notice${query}`);
    expect(response?.status()).toBe(200);
    return page;
  }

  /**
   * The same sheets with every piece of text forced to exactly 16 pt: the word heights poppler
   * reports for the law's minimum in the fonts this machine uses, page by page. (Set through
   * the CSSOM: the site's CSP refuses an injected style sheet.)
   */
  async function minimumHeights(query: string): Promise<number[]> {
    const page = await open(query);
    await page.evaluate((pt) => {
      for (const el of document.querySelectorAll<HTMLElement>('.notice-sheet, .notice-sheet *')) el.style.setProperty('font-size', `${pt}pt`, 'important');
    }, MIN_PT);
    return wordsByPage(await printToPdf(page)).map((words) => smallest(words).height);
  }

  for (const paper of ['letter', 'legal'] as const) {
    const query = paper === 'letter' ? '' : '?paper=legal';

    test(`${paper}: one sheet of ${paper} paper per language, no type under ${MIN_PT} pt`, async () => {
      const page = await open(query);
      const languages = await page.locator('.notice-sheet').count();
      expect(languages).toBeGreaterThanOrEqual(2);
      const pdf = await printToPdf(page);

      expect(renderedPages(pdf), 'each language fits on one sheet').toBe(languages);
      expect(pageSizes(pdf)).toEqual(Array.from({ length: languages }, () => PAPER[paper]));

      const pages = wordsByPage(pdf);
      const floor = await minimumHeights(query);
      for (const [i, words] of pages.entries()) {
        const min = smallest(words);
        // Pages whose script this machine has no font for print no words to measure; the computed sizes below still cover them.
        if (words.length === 0) continue;
        const points = (min.height / floor[i]!) * MIN_PT;
        expect(points, `page ${i + 1}: "${min.text}" prints at ${points.toFixed(1)} pt`).toBeGreaterThanOrEqual(MIN_PT - 0.05);
      }
    });
  }

  test('every piece of text is at least 16 pt in print media', async () => {
    const page = await open('?lang=all');
    await page.emulateMedia({ media: 'print' });
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.notice-sheet, .notice-sheet *')]
        .filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()))
        .map((el) => ({ text: el.textContent!.trim().slice(0, 40), px: parseFloat(getComputedStyle(el).fontSize) })),
    );
    expect(sizes.length).toBeGreaterThan(10);
    // CSS pixels are 1/96 in, points 1/72 in.
    for (const { text, px } of sizes) expect((px * 72) / 96, text).toBeGreaterThanOrEqual(MIN_PT);
  });

  test('the paper choice is a plain link that keeps the language', async () => {
    const page = await s.newPage({ javaScriptEnabled: false });
    await page.goto(`${s.baseUrl}/es/map1193/notice?lang=es`);
    await page.getByRole('link', { name: /Oficio/ }).click({ timeout: 5000 });
    await page.waitForURL(/paper=legal/);
    expect(new URL(page.url()).searchParams.get('lang')).toBe('es');
    expect(await page.locator('.notice-sheet').count()).toBe(1);
    expect(pageSizes(await printToPdf(page))).toEqual([PAPER.legal]);
  });
});
