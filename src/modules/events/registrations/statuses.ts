import type { ParticipantStatus } from '../tables.ts';

/**
 * The one table every participant change follows. A waitlisted person is offered a freed seat
 * and takes it, lets the offer lapse (back to waitlisted, behind no one) or cancels; only a
 * registered person can attend or be marked no-show; cancelled is final.
 */
export const PARTICIPANT_TRANSITIONS: Record<ParticipantStatus, readonly ParticipantStatus[]> = {
  registered: ['cancelled', 'attended', 'no_show'],
  waitlisted: ['offered', 'cancelled'],
  offered: ['registered', 'waitlisted', 'cancelled'],
  cancelled: [],
  attended: [],
  no_show: ['attended'],
};

/** Statuses that hold a seat: what capacity counts. */
export const HOLDS_SEAT: readonly ParticipantStatus[] = ['registered', 'offered', 'attended', 'no_show'];

export const canChange = (from: ParticipantStatus, to: ParticipantStatus) => PARTICIPANT_TRANSITIONS[from].includes(to);
