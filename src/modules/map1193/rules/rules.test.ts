import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import type { TestDatabase } from '../../../../test/helpers/database.ts';
import { type Context, contextFor } from '../../../core/context.ts';
import { RELEASED_CATEGORIES } from '../testing.ts';
import { coverage, judgeObservation, lawDay } from './rules.ts';
import { amendRule, rulesOn } from './service.ts';

let t: TestApp;
let db: TestDatabase;
let ctx: Context;
// The rules in force are the office's as a whole, and amending them changes every later day:
// each test starts from the rules as released, on an app of its own.
beforeEach(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-01T12:00:00Z');
  db = t.db;
  ctx = contextFor(t.app.services, { id: 'admin-1', label: 'Admin' });
});
afterEach(async () => t.close());

describe('rules as data', () => {
  it('covers all 15 kinds of business today, each from the day it came into force', async () => {
    const rules = await rulesOn(ctx, '2026-03-01');
    expect([...rules.categories.keys()].sort()).toEqual([...RELEASED_CATEGORIES].sort());
    expect(rules.categories.get('bar')).toMatchObject({ since: '2013-04-01', bill: 'SB 1193', exception: 'on_sale_general' });
    expect(rules.categories.get('massage')?.exception).toBe('certified_practitioners');
    expect(rules.categories.get('hotel')).toMatchObject({ since: '2019-01-01', bill: 'AB 260' });
    expect(rules.categories.get('personal_care')?.since).toBe('2023-01-01');
    expect(rules.categories.get('pediatric_care')?.since).toBe('2024-01-01');
  });

  it('had only the original 12 kinds before 2019, and nothing before April 2013', async () => {
    expect((await rulesOn(ctx, '2018-06-01')).categories.size).toBe(12);
    expect((await rulesOn(ctx, '2023-06-01')).categories.size).toBe(14);
    const before = await rulesOn(ctx, '2013-03-31');
    expect(before.categories.size).toBe(0);
    expect(before.notice).toBeUndefined();
  });

  it('holds the notice requirements and penalties', async () => {
    const rules = await rulesOn(ctx, '2026-03-01');
    expect(rules.notice).toMatchObject({
      minWidthIn: 8.5,
      minHeightIn: 11,
      minFontPt: 16,
      languages: ['English', 'Spanish', 'county'],
      nationalHotline: '1-888-373-7888',
      textLine: '233733',
      castHotline: '1-888-539-2373',
      since: '2019-01-01',
    });
    expect(rules.penalty).toMatchObject({ firstOffenceUsd: 500, laterOffenceUsd: 1000, cureDays: 30 });
    expect((await rulesOn(ctx, '2018-12-31')).notice?.textLine).toBeNull();
  });

  it('does not cover a hotel reported in 2018, and does in 2019', async () => {
    const in2018 = judgeObservation(await rulesOn(ctx, new Date('2018-07-04T18:00:00Z')), 'hotel', 'missing', []);
    expect(in2018).toEqual({ judgement: 'not_covered', reasons: ['category_not_covered'] });
    const in2019 = judgeObservation(await rulesOn(ctx, new Date('2019-07-04T18:00:00Z')), 'hotel', 'missing', []);
    expect(in2019).toEqual({ judgement: 'non_compliant', reasons: ['notice_missing'] });
  });

  it('accepts a notice without the text line before 2019 and not after', async () => {
    const before = judgeObservation(await rulesOn(ctx, '2018-12-31'), 'truck_stop', 'wrong', ['no_text_line']);
    expect(before.judgement).toBe('compliant');
    const after = judgeObservation(await rulesOn(ctx, '2019-01-01'), 'truck_stop', 'wrong', ['no_text_line']);
    expect(after).toEqual({ judgement: 'non_compliant', reasons: ['no_text_line'] });
    const small = judgeObservation(await rulesOn(ctx, '2018-12-31'), 'truck_stop', 'wrong', ['no_text_line', 'too_small']);
    expect(small).toEqual({ judgement: 'non_compliant', reasons: ['too_small'] });
  });

  it('takes the day in California, not in UTC', () => {
    // 05:00 UTC on New Year's Day is still New Year's Eve in California.
    expect(lawDay(new Date('2019-01-01T05:00:00Z'), 'America/Los_Angeles')).toBe('2018-12-31');
    expect(lawDay(new Date('2019-01-01T09:00:00Z'), 'America/Los_Angeles')).toBe('2019-01-01');
  });

  it('answers the owner check with the exception questions', async () => {
    const rules = await rulesOn(ctx, '2026-03-01');
    expect(coverage(rules, 'truck_stop', false)).toMatchObject({ covered: true });
    expect(coverage(rules, 'massage', true)).toMatchObject({ covered: false, reason: 'exception' });
    expect(coverage(rules, 'massage', false)).toMatchObject({ covered: true });
    expect(coverage(await rulesOn(ctx, '2022-06-01'), 'personal_care', false)).toMatchObject({ covered: false, reason: 'not_yet' });
  });

  it('judges a missing language only where the rule of the day requires it, and never judges a place that could not be checked', async () => {
    const rules = await rulesOn(ctx, '2026-03-01');
    expect(judgeObservation(rules, 'truck_stop', 'wrong', ['missing_spanish'])).toEqual({ judgement: 'non_compliant', reasons: ['missing_spanish'] });
    expect(judgeObservation(rules, 'truck_stop', 'wrong', ['missing_county', 'hotline_wrong'])).toEqual({ judgement: 'non_compliant', reasons: ['missing_county', 'hotline_wrong'] });
    const englishOnly = { ...rules, notice: { ...rules.notice!, languages: ['English'] } };
    expect(judgeObservation(englishOnly, 'truck_stop', 'wrong', ['missing_spanish'])).toEqual({ judgement: 'compliant', reasons: [] });
    for (const observed of ['closed', 'no_access', 'not_this_kind', 'closed_for_good'] as const) {
      expect(judgeObservation(rules, 'truck_stop', observed, [])).toEqual({ judgement: 'unchecked', reasons: ['not_checked'] });
    }
  });
});

describe('amendRule', () => {
  it('closes the version in force and judges earlier days by the old one, with an audit row', async () => {
    await amendRule(ctx, {
      kind: 'penalty',
      subject: 'penalty',
      effectiveFrom: '2027-01-01',
      value: { firstOffenceUsd: 750, laterOffenceUsd: 1500, cureDays: 30 },
      bill: 'AB 9999',
    });
    expect((await rulesOn(ctx, '2026-12-31')).penalty?.firstOffenceUsd).toBe(500);
    expect((await rulesOn(ctx, '2027-01-01')).penalty).toMatchObject({ firstOffenceUsd: 750, bill: 'AB 9999' });
    const audit = await db.handle.db.selectFrom('auditLog').select(['action', 'targetId', 'actorId']).where('action', '=', 'map1193.rule_amend').execute();
    expect(audit).toEqual([{ action: 'map1193.rule_amend', targetId: 'penalty:penalty:2027-01-01', actorId: 'admin-1' }]);
  });

  it('adds a new kind of business from its day on', async () => {
    await amendRule(ctx, { kind: 'category', subject: 'bus_station', effectiveFrom: '2028-01-01', value: { exception: null }, bill: 'AB 1' });
    expect((await rulesOn(ctx, '2028-02-01')).categories.get('bus_station')?.bill).toBe('AB 1');
    expect((await rulesOn(ctx, '2027-02-01')).categories.get('bus_station')?.bill).toBe('SB 1193');
  });

  it('refuses a version that does not start after the current one, or a malformed value', async () => {
    await amendRule(ctx, { kind: 'penalty', subject: 'penalty', effectiveFrom: '2027-01-01', value: { firstOffenceUsd: 750, laterOffenceUsd: 1500, cureDays: 30 }, bill: 'AB 9999' });
    await expect(amendRule(ctx, { kind: 'penalty', subject: 'penalty', effectiveFrom: '2020-01-01', value: { firstOffenceUsd: 1, laterOffenceUsd: 2, cureDays: 3 }, bill: 'X' })).rejects.toThrow(/must start after/);
    await expect(amendRule(ctx, { kind: 'notice', subject: 'notice', effectiveFrom: '2030-01-01', value: { minWidthIn: -1 }, bill: 'X' })).rejects.toThrow();
    expect((await rulesOn(ctx, '2031-01-01')).notice?.minWidthIn).toBe(8.5);
  });
});
