import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The office is in California: the English interface and pages use American spelling and
 * American dates ("January 1, 2023"). A British spelling in a catalog value or a content page
 * fails here; keys (which are codes, e.g. `labour_standards`) are not read.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

/** British stems and their American spelling; each matches as the start of a word. */
const BRITISH: Record<string, string> = {
  labour: 'labor',
  centre: 'center',
  colour: 'color',
  favour: 'favor',
  behaviour: 'behavior',
  honour: 'honor',
  neighbour: 'neighbor',
  rumour: 'rumor',
  harbour: 'harbor',
  licence: 'license',
  offence: 'offense',
  defence: 'defense',
  pretence: 'pretense',
  memoris: 'memoriz',
  organis: 'organiz',
  recognis: 'recogniz',
  realis: 'realiz',
  apologis: 'apologiz',
  authoris: 'authoriz',
  prioritis: 'prioritiz',
  criminalis: 'criminaliz',
  penalis: 'penaliz',
  minimis: 'minimiz',
  summaris: 'summariz',
  categoris: 'categoriz',
  customis: 'customiz',
  emphasis: 'emphasiz',
  normalis: 'normaliz',
  finalis: 'finaliz',
  utilis: 'utiliz',
  victimis: 'victimiz',
  analys: 'analyz',
  catalogue: 'catalog',
  programme: 'program',
  travelled: 'traveled',
  travelling: 'traveling',
  cancelled: 'canceled',
  cancelling: 'canceling',
  labelled: 'labeled',
  labelling: 'labeling',
  modelled: 'modeled',
  judgement: 'judgment',
  enrol: 'enroll',
  whilst: 'while',
  amongst: 'among',
  fulfil: 'fulfill',
  practise: 'practice',
  grey: 'gray',
  cheque: 'check',
  tyre: 'tire',
  mould: 'mold',
  sceptic: 'skeptic',
  aeroplane: 'airplane',
  paediatric: 'pediatric',
  manoeuvre: 'maneuver',
};

/** Names that keep their own spelling (an organization's registered name). */
const PROPER_NAMES = ['International Labour Organization', 'International Labour Office'];

/** "emphasis" is also an American noun; only the verb's forms are British. */
const EXCEPT = [/^emphasis$/i, /^enroll/i, /^fulfill/i];

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';
const BRITISH_DATE = new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)? (?:${MONTHS}),? \\d{4}\\b`);

function catalogValues(dir: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') out.push([prefix, value]);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
  };
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    walk(file.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  }
  return out;
}

/** Each British spelling found in a text, as "word (American spelling)". */
function britishSpellings(text: string): string[] {
  let cleaned = text;
  for (const name of PROPER_NAMES) cleaned = cleaned.replaceAll(name, '');
  // Markdown link targets and inline code are addresses and codes, not words.
  cleaned = cleaned.replace(/\]\([^)]*\)/g, ']').replace(/`[^`]*`/g, '');
  const found: string[] = [];
  for (const word of cleaned.match(/\p{L}+/gu) ?? []) {
    if (EXCEPT.some((e) => e.test(word))) continue;
    const lower = word.toLowerCase();
    const stem = Object.keys(BRITISH).find((s) => lower.startsWith(s));
    if (stem) found.push(`${word} (${BRITISH[stem]})`);
  }
  if (BRITISH_DATE.test(cleaned)) found.push(`${BRITISH_DATE.exec(cleaned)![0]} (month first: "January 1, 2023")`);
  return found;
}

describe('American English in the English interface and content', () => {
  test('the word list catches what it should and leaves American spellings alone', () => {
    expect(britishSpellings('Labour trafficking, a colour, a licence, memorise it, the centre, 1 January 2023')).toEqual([
      'Labour (labor)', 'colour (color)', 'licence (license)', 'memorise (memoriz)', 'centre (center)', '1 January 2023 (month first: "January 1, 2023")',
    ]);
    expect(britishSpellings('Labor trafficking, a color, a license plate, memorize it, the center, January 1, 2023, the International Labour Organization, enrollment, emphasis')).toEqual([]);
  });

  test('no catalog value in locales/en is spelled the British way', () => {
    const problems = catalogValues(path.join(ROOT, 'locales/en'))
      .map(([key, value]) => [key, britishSpellings(value)] as const)
      .filter(([, words]) => words.length > 0)
      .map(([key, words]) => `${key}: ${words.join(', ')}`);
    expect(problems).toEqual([]);
  });

  test('no page in content/en is spelled the British way', () => {
    const dir = path.join(ROOT, 'content/en');
    const problems = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .flatMap((file) => britishSpellings(fs.readFileSync(path.join(dir, file), 'utf8')).map((w) => `${file}: ${w}`));
    expect(problems).toEqual([]);
  });
});
