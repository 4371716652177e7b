import type { RequestStatus } from '../tables.ts';

/**
 * Where a training request may go from each status: the office's pipeline. Declining is
 * possible until the training is delivered; delivered and declined requests only close or stay.
 */
export const REQUEST_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  submitted: ['triaged', 'declined'],
  triaged: ['scheduled', 'declined'],
  scheduled: ['delivered', 'declined'],
  delivered: ['closed'],
  closed: [],
  declined: [],
};

/** Statuses in which the request waits on the office: these are flagged when left untouched. */
export const WAITING_STATUSES: readonly RequestStatus[] = ['submitted', 'triaged'];

/** Business days a waiting request may sit untouched before the console home flags it. */
export const STALE_BUSINESS_DAYS = 5;

export const canMove = (from: RequestStatus, to: RequestStatus) => REQUEST_TRANSITIONS[from].includes(to);
