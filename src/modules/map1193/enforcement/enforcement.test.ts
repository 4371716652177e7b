import { describe, expect, it } from 'vitest';
import { applyStep, CASE_ACTIONS, type CaseAction, type CaseFrom, cureDue, nextActions, penaltyAmount } from './enforcement.ts';

const FROMS: CaseFrom[] = ['none', 'compliant', 'violation', 'notice_sent', 'cured', 'penalised', 'paid', 'referred'];

/** Every allowed step; every other (stage, action) pair must be refused as skipped. */
const ALLOWED: [CaseFrom, CaseAction, string][] = [
  ['none', 'visit_compliant', 'compliant'],
  ['none', 'visit_violation', 'violation'],
  ['violation', 'send_notice', 'notice_sent'],
  ['notice_sent', 'reinspect_cured', 'cured'],
  ['notice_sent', 'reinspect_failed', 'penalised'],
  ['penalised', 'record_payment', 'paid'],
  ['penalised', 'refer', 'referred'],
];
// A closed case is no open case: the next visit starts a new one.
for (const closed of ['compliant', 'cured', 'paid', 'referred'] as const) {
  ALLOWED.push([closed, 'visit_compliant', 'compliant'], [closed, 'visit_violation', 'violation']);
}

const now = new Date('2026-03-01T12:00:00Z');
const past = '2026-02-01T00:00:00.000Z';
const allowedTo = (from: CaseFrom, action: CaseAction) => ALLOWED.find(([f, a]) => f === from && a === action)?.[2];

describe('the enforcement state machine', () => {
  const pairs = FROMS.flatMap((from) => CASE_ACTIONS.map((action) => [from, action, allowedTo(from, action) ?? 'refused'] as const));

  it.each(pairs)('from %s, %s → %s', (from, action, expected) => {
    const result = applyStep(from, action, now, past);
    if (expected === 'refused') expect(result).toEqual({ ok: false, problem: 'map.enforcement.errors.skipped' });
    else expect(result).toEqual({ ok: true, to: expected });
  });

  it('offers exactly the allowed actions as next steps', () => {
    for (const from of FROMS) expect([...nextActions(from)].sort()).toEqual(ALLOWED.filter(([f]) => f === from).map(([, a]) => a).sort());
  });

  it('refuses a penalty while the cure period runs, and allows it from the day it ends', () => {
    const notice = new Date('2026-03-01T12:00:00Z');
    const due = cureDue(notice, 30);
    expect(due.toISOString()).toBe('2026-03-31T12:00:00.000Z');
    expect(applyStep('notice_sent', 'reinspect_failed', new Date(due.getTime() - 1), due.toISOString())).toEqual({ ok: false, problem: 'map.enforcement.errors.cureRunning' });
    expect(applyStep('notice_sent', 'reinspect_failed', due, due.toISOString())).toEqual({ ok: true, to: 'penalised' });
    expect(applyStep('notice_sent', 'reinspect_failed', due, null)).toEqual({ ok: false, problem: 'map.enforcement.errors.cureRunning' });
    // Corrected early is fine: cured needs no waiting.
    expect(applyStep('notice_sent', 'reinspect_cured', notice, due.toISOString())).toEqual({ ok: true, to: 'cured' });
  });

  it('charges the first-offence amount once, the later amount after', () => {
    const rule = { firstOffenceUsd: 500, laterOffenceUsd: 1000 };
    expect(penaltyAmount(rule, 0)).toBe(500);
    expect(penaltyAmount(rule, 1)).toBe(1000);
    expect(penaltyAmount(rule, 4)).toBe(1000);
  });
});
