import { HtmlValidate } from 'html-validate';
import type { Page } from 'playwright-core';

/**
 * Measurements a person on a phone would notice and axe does not: a page wider than the
 * screen, a phone number split over two lines, a word or a table header broken mid-word.
 */
export type LayoutProblems = {
  scrollWidth: number;
  /** The innermost elements reaching past the right edge, for the failure message. */
  tooWide: string[];
  splitPhones: string[];
  brokenWords: string[];
};

/** Reads the page as laid out now; the caller decides what is allowed. */
export function measureLayout(page: Page): Promise<LayoutProblems> {
  return page.evaluate(() => {
    const lines = (rects: DOMRectList | DOMRect[]) => new Set([...rects].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    const splitPhones: string[] = [];
    for (const a of document.querySelectorAll<HTMLAnchorElement>('a[href^="tel:"]')) {
      if (a.getClientRects().length === 0) continue;
      // A link that is only a number stays on one line; in a longer label (a button), the number does.
      if (getComputedStyle(a).display === 'inline' && lines(a.getClientRects()) > 1) splitPhones.push(a.textContent ?? '');
      const numbers = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
      for (let node = numbers.nextNode(); node; node = numbers.nextNode()) {
        for (const match of (node.textContent ?? '').matchAll(/[+(]?\d[\d\s().\u2011\u00a0-]{4,}\d/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          if (lines(range.getClientRects()) > 1) splitPhones.push(match[0]);
        }
      }
    }
    const brokenWords: string[] = [];
    // Text clipped to a 1 px box (a header row kept for screen readers) is not seen at all.
    const unseen = new Map<Element, boolean>();
    const clipped = (el: Element | null): boolean => {
      if (!el) return false;
      let known = unseen.get(el);
      if (known === undefined) {
        const box = el.getBoundingClientRect();
        known = (getComputedStyle(el).overflow !== 'visible' && (box.width <= 1 || box.height <= 1)) || clipped(el.parentElement);
        unseen.set(el, known);
      }
      return known;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, [hidden], .secret-box, code, pre') || clipped(parent)) continue;
      // Text on one line breaks no word; and a box wider than 16 em holds any word of 24 letters.
      const whole = document.createRange();
      whole.selectNodeContents(node);
      if (lines(whole.getClientRects()) < 2) continue;
      let block: Element | null = parent;
      while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      if (block && block.clientWidth > 16 * parseFloat(getComputedStyle(block).fontSize)) continue;
      const text = node.textContent ?? '';
      // A web address written out (a letter's link) has no spaces and may wrap anywhere.
      if (/^\s*https?:\/\/\S+\s*$/.test(text)) continue;
      // Words of letters only: codes, addresses and links may wrap where they must.
      // Scripts that put spaces between words; Chinese or Japanese may break between any two characters.
      for (const match of text.matchAll(/[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]{2,24}/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (lines(range.getClientRects()) > 1) brokenWords.push(match[0]);
      }
    }
    // A stacked table cell's label comes from CSS (::before), which no text node holds: its
    // longest word, measured in the label's own font, must fit the cell.
    const canvas = document.createElement('canvas').getContext('2d')!;
    for (const cell of document.querySelectorAll<HTMLElement>('td[data-label]')) {
      const before = getComputedStyle(cell, '::before');
      if (before.content === 'none' || before.content === 'normal' || cell.getClientRects().length === 0) continue;
      canvas.font = `${before.fontWeight} ${before.fontSize} ${before.fontFamily}`;
      const style = getComputedStyle(cell);
      const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      for (const word of (cell.dataset.label ?? '').split(/\s+/)) {
        if (canvas.measureText(word).width > room) brokenWords.push(`${word} (label in a ${Math.round(room)} px cell)`);
      }
    }
    const edge = document.documentElement.clientWidth;
    const past = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > edge + 0.5);
    const tooWide = past
      .filter((el) => !past.some((other) => other !== el && el.contains(other)))
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> to ${Math.round(el.getBoundingClientRect().right)} px: ${(el.textContent ?? '').trim().slice(0, 40)}`);
    return { scrollWidth: document.documentElement.scrollWidth, tooWide, splitPhones, brokenWords };
  });
}

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Preact writes `<!doctype html>` and `<meta />`: one style, held everywhere.
    'doctype-style': ['error', { style: 'lowercase' }],
    'void-style': ['error', { style: 'selfclose' }],
    // A group of checkboxes shares one name, as radio buttons do.
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // A button's label is a sentence that wraps between its words; the number in it is written
    // with non-breaking characters (phoneText), and measureLayout checks it stays on one line.
    'tel-non-breaking': ['error', { ignoreClasses: ['button'] }],
  },
});

/** html-validate's recommended rules on the HTML the server sent: one line per problem. */
export async function validateHtml(html: string, label: string): Promise<string[]> {
  const report = await validator.validateString(html, label);
  return report.results.flatMap((r) => r.messages.map((m) => `${label}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
}
