import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { contextFor } from '../../../core/context.ts';
import { lawDay } from '../rules/rules.ts';
import { amendRule } from '../rules/service.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

// The figures public pages quote (penalties, cure days, the notice's size and type) are the
// rules in force, never words in a catalog: an amendment that takes effect today changes them.

let t: TestApp;
let motel: BusinessRow;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-06-15T19:00:00Z');
  motel = (await insertBusinesses(t.app.services.db, [businessRow({ name: 'Figures Motel', category: 'hotel', status: 'notice_sent' })]))[0]!;
});
afterAll(async () => t.close());

const get = async (url: string) => {
  const res = await t.app.inject({ url });
  expect(res.statusCode, url).toBe(200);
  return res.body;
};
const pages = (prefix: string) => Promise.all([get(`${prefix}/map1193/check?category=hotel`), get(`${prefix}/map1193/businesses/${motel.id}`), get(`${prefix}/map1193/notice`)]);

describe('figures on public pages', () => {
  it('quote the rules as released, formatted for the language', async () => {
    const [check, business] = await pages('');
    expect(check).toContain('at least 8.5 by 11 inches in 16-point type');
    expect(check).toContain('fined $500 for a first offense and $1,000 for each later one, after 30 days to correct it');
    expect(business).toContain('gives the business 30 days to correct the problem before a penalty of $500 for a first offense, or $1,000 for a later one');
    expect(business).toContain('smaller than 8.5 by 11 inches, or type smaller than 16 points');
    expect(business).toContain('It does not show the text line 233733');
    const [checkEs, businessEs] = await pages('/es');
    expect(checkEs).toContain('de al menos 8.5 por 11 pulgadas y con letra de 16 puntos');
    expect(checkEs).toContain('una multa de $500 por la primera infracción y de $1,000 por cada una de las siguientes, después de 30 días');
    expect(businessEs).toContain('le da al negocio 30 días para corregir el problema antes de una multa de $500');
  });

  it('follow an amendment that takes effect today, in English and Spanish', async () => {
    const ctx = contextFor(t.app.services, { id: 'admin-figures', label: 'Admin' });
    const today = lawDay(t.clock.now(), 'America/Los_Angeles');
    await amendRule(ctx, { kind: 'penalty', subject: 'penalty', effectiveFrom: today, bill: 'AB 9999', value: { firstOffenceUsd: 2500, laterOffenceUsd: 12000, cureDays: 45 } });
    await amendRule(ctx, {
      kind: 'notice',
      subject: 'notice',
      effectiveFrom: today,
      bill: 'AB 9999',
      value: { minWidthIn: 11, minHeightIn: 17, minFontPt: 18, languages: ['English', 'Spanish', 'county'], nationalHotline: '1-888-373-7888', textLine: '233734', castHotline: '1-888-539-2373' },
    });

    const [check, business, notice] = await pages('');
    expect(check).toContain('at least 11 by 17 inches in 18-point type');
    expect(check).toContain('fined $2,500 for a first offense and $12,000 for each later one, after 45 days to correct it');
    expect(business).toContain('gives the business 45 days to correct the problem before a penalty of $2,500 for a first offense, or $12,000 for a later one');
    expect(business).toContain('smaller than 11 by 17 inches, or type smaller than 18 points');
    expect(business).toContain('It does not show the text line 233734');
    expect(notice).toContain('at least 11 by 17 inches, in type of at least 18 points');
    for (const html of [check, business]) {
      expect(html).not.toContain('$500');
      expect(html).not.toContain('30 days');
    }

    const [checkEs, businessEs, noticeEs] = await pages('/es');
    expect(checkEs).toContain('de al menos 11 por 17 pulgadas y con letra de 18 puntos');
    expect(checkEs).toContain('una multa de $2,500 por la primera infracción y de $12,000 por cada una de las siguientes, después de 45 días');
    expect(businessEs).toContain('le da al negocio 45 días para corregir el problema antes de una multa de $2,500 por la primera infracción, o de $12,000 por una posterior');
    expect(businessEs).toContain('menor que 11 por 17 pulgadas, o con letra de menos de 18 puntos');
    expect(businessEs).toContain('No muestra la línea de mensajes de texto 233734');
    expect(noticeEs).toContain('al menos 11 por 17 pulgadas, con letra de al menos 18 puntos');
  });
});
