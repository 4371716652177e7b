import type { BusinessStatus, CaseStage } from '../tables.ts';

/**
 * The enforcement workflow as a table: visit → (compliant) or violation → notice of violation →
 * re-inspection → cured, or (after the cure period) penalised → paid or referred. `none` is a
 * business without an open case. No step can be skipped; a closed case starts over at `none`.
 */
export const CASE_ACTIONS = ['visit_compliant', 'visit_violation', 'send_notice', 'reinspect_cured', 'reinspect_failed', 'record_payment', 'refer'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
export type CaseFrom = CaseStage | 'none';

export const OPEN_STAGES: readonly CaseStage[] = ['violation', 'notice_sent', 'penalised'];
export const CLOSED_STAGES: readonly CaseStage[] = ['compliant', 'cured', 'paid', 'referred'];

const NEXT: Record<'none' | 'violation' | 'notice_sent' | 'penalised', Partial<Record<CaseAction, CaseStage>>> = {
  none: { visit_compliant: 'compliant', visit_violation: 'violation' },
  violation: { send_notice: 'notice_sent' },
  notice_sent: { reinspect_cured: 'cured', reinspect_failed: 'penalised' },
  penalised: { record_payment: 'paid', refer: 'referred' },
};

/** What each step does to the business's public status (undefined: unchanged) and why. */
export const STEP_EFFECT: Record<CaseAction, { status?: BusinessStatus; cause: 'inspection' | 'notice' | 'penalty' | 'payment' | 'referral' }> = {
  visit_compliant: { status: 'verified_compliant', cause: 'inspection' },
  visit_violation: { cause: 'inspection' },
  send_notice: { status: 'notice_sent', cause: 'notice' },
  reinspect_cured: { status: 'cured', cause: 'inspection' },
  reinspect_failed: { status: 'penalised', cause: 'penalty' },
  record_payment: { cause: 'payment' },
  refer: { cause: 'referral' },
};

/** A closed case counts as no case: the next visit opens a new one. */
export const caseFrom = (stage: CaseStage | undefined): CaseFrom => (stage && OPEN_STAGES.includes(stage) ? stage : 'none');

/** The actions allowed from a stage (closed stages behave as `none`). */
export function nextActions(from: CaseFrom): readonly CaseAction[] {
  return Object.keys(rowOf(from)) as CaseAction[];
}

const rowOf = (from: CaseFrom) => NEXT[from === 'none' ? 'none' : (caseFrom(from) as keyof typeof NEXT)];

export type StepRefusal = 'map.enforcement.errors.skipped' | 'map.enforcement.errors.cureRunning';

/**
 * The stage a step leads to, or why it is refused: a skipped step, or a failed re-inspection
 * before the cure period has run out (a penalty needs the full cure period first).
 */
export function applyStep(from: CaseFrom, action: CaseAction, at: Date, cureDueAt: string | null): { ok: true; to: CaseStage } | { ok: false; problem: StepRefusal } {
  const to = rowOf(from)[action];
  if (!to) return { ok: false, problem: 'map.enforcement.errors.skipped' };
  if (action === 'reinspect_failed' && (cureDueAt === null || at.getTime() < new Date(cureDueAt).getTime())) return { ok: false, problem: 'map.enforcement.errors.cureRunning' };
  return { ok: true, to };
}

/** The end of the cure period that starts when the notice is sent. */
export const cureDue = (noticeAt: Date, cureDays: number) => new Date(noticeAt.getTime() + cureDays * 86_400_000);

/** $500 for a first offense, $1,000 for any later one (amounts from the rules in force). */
export const penaltyAmount = (rule: { firstOffenceUsd: number; laterOffenceUsd: number }, earlierPenalties: number) =>
  earlierPenalties === 0 ? rule.firstOffenceUsd : rule.laterOffenceUsd;

/** What an inspector can find wrong at a visit; the letter names each one in the business's languages. */
export const DEFICIENCIES = [
  'not_posted',
  'too_small',
  'type_too_small',
  'missing_english',
  'missing_spanish',
  'missing_county_language',
  'no_national_hotline',
  'no_text_line',
  'no_cast_hotline',
  'not_visible',
] as const;
export type Deficiency = (typeof DEFICIENCIES)[number];

/** A step's stored codes, known ones only, in the table's order. */
export const parseDeficiencies = (stored: string): Deficiency[] => DEFICIENCIES.filter((d) => stored.split(',').includes(d));

/** `2026-0147`: the case's year and its place in that year, four digits at least. */
export const formatCaseNumber = (year: number, n: number) => `${year}-${String(n).padStart(4, '0')}`;
