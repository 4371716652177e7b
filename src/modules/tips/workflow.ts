import type { Agency, Disposition, TipStatus } from './tables.ts';

/**
 * The tip workflow: new → in review → referred (to an agency) or investigating → closed (with
 * a disposition). No step can be skipped: a tip is read before it is referred, and referred or
 * investigated before it is closed as actionable. A tip seen in review to be spam, a duplicate
 * or not trafficking may close from review. A closed tip can be reopened into review (the
 * tipster may come back with more).
 */
const NEXT: Record<TipStatus, readonly TipStatus[]> = {
  new: ['in_review'],
  in_review: ['referred', 'investigating', 'closed'],
  investigating: ['referred', 'closed'],
  referred: ['closed'],
  closed: ['in_review'],
};

/** Dispositions that need no referral or investigation first. */
const CLOSE_FROM_REVIEW: readonly Disposition[] = ['not_trafficking', 'duplicate', 'spam'];

export type Transition = { to: TipStatus; referredTo?: Agency; disposition?: Disposition };

/** The statuses a tip may move to next. */
export function nextStatuses(from: TipStatus): readonly TipStatus[] {
  return NEXT[from];
}

/** Why a transition is refused (a translation key), or undefined when it is allowed. */
export function transitionProblem(from: TipStatus, change: Transition): string | undefined {
  if (!NEXT[from].includes(change.to)) return 'tips.workflow.errors.skipped';
  if (change.to === 'referred' && !change.referredTo) return 'tips.workflow.errors.agency';
  if (change.to === 'closed') {
    if (!change.disposition) return 'tips.workflow.errors.disposition';
    if (from === 'in_review' && !CLOSE_FROM_REVIEW.includes(change.disposition)) return 'tips.workflow.errors.actionableNeedsWork';
  }
  return undefined;
}

/** What the tipster sees: received, in review, or closed; never a referral or a disposition. */
export function publicStatus(status: TipStatus): 'received' | 'in_review' | 'closed' {
  if (status === 'new') return 'received';
  return status === 'closed' ? 'closed' : 'in_review';
}
