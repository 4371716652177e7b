import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../../core/i18n/catalog.ts';
import { renderNoticeLetter } from '../enforcement/notice-letter.ts';
import { nationalHotlineName, noticeText } from './notice-text.ts';
import { ruleSetFrom } from '../rules/rules.ts';
import type { RuleRow } from '../tables.ts';

const root = path.resolve(import.meta.dirname, '../../../..');
const catalogs = loadCatalogs(path.join(root, 'locales'));

/** The letter as the office would send it on `day`, under the rules in force that day. */
function letterOn(day: string, cureDay = day): string {
  const rules = ruleSetFrom(rows, day);
  return renderNoticeLetter(catalogs, {
    office: { name: 'Test County District Attorney', address: '1 Court St', phone: '(555) 010-0100', logo: null },
    inspector: 'Ines Inspector',
    caseNumber: '2026-0001',
    business: { name: 'Test Motel', address: '1 Test Rd', city: 'Testburg', category: 'Hotel' },
    categories: [],
    deficiencies: [],
    visitDay: day,
    day,
    cureDay,
    penalty: rules.penalty!,
    amountUsd: rules.penalty!.laterOffenceUsd,
    rules,
    thirdLanguage: '',
    baseUrl: 'https://heatwatch.example.org',
  });
}

const rule = (kind: RuleRow['kind'], subject: string, from: string, to: string | null, value: object): RuleRow => ({
  id: `${kind}:${subject}:${from}`, kind, subject, effectiveFrom: from, effectiveTo: to, value: JSON.stringify(value), bill: 'test', createdAt: '', createdBy: null,
});
const noticeValue = (textLine: string | null) => ({
  minWidthIn: 8.5, minHeightIn: 11, minFontPt: 16, languages: ['English', 'Spanish', 'county'], nationalHotline: '1-888-373-7888', textLine, castHotline: '1-888-539-2373',
});
const rows = [
  rule('notice', 'notice', '2013-04-01', '2019-01-01', noticeValue(null)),
  rule('notice', 'notice', '2019-01-01', null, noticeValue('233733')),
  rule('penalty', 'penalty', '2013-04-01', null, { firstOffenceUsd: 500, laterOffenceUsd: 1000, cureDays: 30 }),
];

describe('the notice wording by version', () => {
  it('names the National Human Trafficking Resource Center before SB 225 and the Hotline from 2019', () => {
    expect(noticeText('English', '2013-04-01')!.nationalLine).toBe('call the National Human Trafficking Resource Center at {national}');
    expect(noticeText('Spanish', '2018-12-31')!.nationalLine).toContain('Centro Nacional de Recursos contra la Trata de Personas');
    expect(noticeText('Chinese', '2013-04-01')!.nationalLine).toContain('資源中心');
    expect(noticeText('English', '2019-01-01')!.nationalLine).toBe('or call the National Human Trafficking Hotline at {national}');
    expect(noticeText('Vietnamese', '2019-01-01')).toBeUndefined();
    expect(nationalHotlineName('2013-04-01')).toBe('National Human Trafficking Resource Center');
    expect(nationalHotlineName('2019-01-01')).toBe('National Human Trafficking Hotline');
  });

  it('gives the letter the hotline name and text line of the version in force, in US spelling', () => {
    const old = letterOn('2018-05-01');
    expect(old).toContain('National Human Trafficking Resource Center, 1-888-373-7888;');
    expect(old).not.toContain('233733');
    const now = letterOn('2026-05-01');
    expect(now).toContain('National Human Trafficking Hotline, 1-888-373-7888;');
    expect(now).toContain('233733');
    expect(now).toMatch(/offense/);
  });
});

/** British spellings US legal text and letters must not use (word stems, matched case-insensitively). */
const BRITISH = /\b(offence|licence|labour|recognis|centre|organisation|colour|behaviour|neighbour|favour|honour|authoris|organis|catalogue|analys(e|ing)|modelled|travell|cancell|defence|programme|whilst|realis|summaris|prioritis|utilis|judgement)/i;
/** Proper names spelled the British way by their owners. */
const ALLOWED = ['International Labour Organization'];

function englishTexts(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const walk = (value: unknown, where: string) => {
    if (typeof value === 'string') out.push({ where, text: value });
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
  };
  walk(JSON.parse(fs.readFileSync(path.join(root, 'locales/en/map.json'), 'utf8')), 'map');
  // The stored names and descriptions of the kinds of business, as the migration seeds them.
  out.push({ where: 'map_categories seed', text: fs.readFileSync(path.join(root, 'migrations/20261201T0900-map1193-categories.ts'), 'utf8') });
  for (const file of fs.readdirSync(path.join(root, 'content/en'))) out.push({ where: `content/en/${file}`, text: fs.readFileSync(path.join(root, 'content/en', file), 'utf8') });
  const en = noticeText('English', '2019-01-01')!;
  walk({ ...en, before2019: noticeText('English', '2013-04-01') }, 'notice');
  walk(letterOn('2026-05-01', '2026-05-31'), 'letter');
  return out;
}

describe('US spelling', () => {
  it('in the MAP1193 catalog, the public content, the notice and the letter', () => {
    const found = englishTexts()
      .map(({ where, text }) => ({ where, match: ALLOWED.reduce((t, name) => t.replaceAll(name, ''), text).match(BRITISH)?.[0] }))
      .filter((f) => f.match);
    expect(found).toEqual([]);
  });
});
