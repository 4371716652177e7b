/** Kysely row types for MAP1193's tables (camelCase here, snake_case in SQL). */

export const BUSINESS_STATUSES = [
  'unknown',
  'reported_posted',
  'reported_missing',
  'verified_compliant',
  'notice_sent',
  'cured',
  'penalised',
] as const;
export type BusinessStatus = (typeof BUSINESS_STATUSES)[number];

/** Statuses only an inspector's visit, notice or penalty sets. */
export const OFFICIAL_STATUSES: readonly BusinessStatus[] = ['verified_compliant', 'notice_sent', 'cured', 'penalised'];

/** What a reporter says about the notice. */
export const NOTICE_OBSERVATIONS = ['posted', 'missing', 'wrong'] as const;
/** Nothing to say about the notice: the place could not be checked, or the listing itself is wrong. */
export const COULD_NOT_CHECK = ['closed', 'no_access'] as const;
export const LISTING_WRONG = ['not_this_kind', 'closed_for_good'] as const;
export const DATA_QUALITY_OBSERVATIONS = [...COULD_NOT_CHECK, ...LISTING_WRONG] as const;
export const OBSERVATIONS = [...NOTICE_OBSERVATIONS, ...DATA_QUALITY_OBSERVATIONS] as const;
export type Observation = (typeof OBSERVATIONS)[number];
export type DataQualityObservation = (typeof DATA_QUALITY_OBSERVATIONS)[number];

export const isDataQuality = (o: string): o is DataQualityObservation => (DATA_QUALITY_OBSERVATIONS as readonly string[]).includes(o);

/**
 * What is wrong with a posted notice. `missing_language` is from before the form asked which
 * language: old reports carry it, the form no longer offers it.
 */
export const PROBLEMS = ['missing_english', 'missing_spanish', 'missing_county', 'hotline_wrong', 'no_text_line', 'too_small', 'hidden', 'missing_language'] as const;
export type Problem = (typeof PROBLEMS)[number];
export const FORM_PROBLEMS = PROBLEMS.filter((p) => p !== 'missing_language');

/** `unchecked`: a report that could not check the notice; it feeds the data-quality queue, never compliance. */
export type Judgement = 'compliant' | 'non_compliant' | 'not_covered' | 'unchecked';
export type ReportChannel = 'public' | 'volunteer' | 'inspector';

export type RuleRow = {
  id: string;
  kind: 'category' | 'notice' | 'penalty';
  subject: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  value: string;
  bill: string;
  createdAt: string;
  createdBy: string | null;
};

/** A kind of establishment; `names` and `descriptions` are JSON objects by locale. Coverage is in map_rules. */
export type CategoryRow = { code: string; names: string; descriptions: string; position: number; createdAt: string; createdBy: string | null };

export type BusinessRow = {
  id: string;
  name: string;
  address: string;
  city: string;
  lat: number | null;
  lng: number | null;
  category: string;
  source: string;
  externalId: string;
  active: number;
  status: BusinessStatus;
  statusChangedAt: string | null;
  lastReportAt: string | null;
  /** Set by a credible missing or wrong report; cleared only by an inspector's step. */
  queuedAt: string | null;
  searchText: string;
  createdAt: string;
  updatedAt: string;
};

export type ReportRow = {
  id: string;
  businessId: string;
  observed: Observation;
  problems: string;
  note: string | null;
  judgement: Judgement;
  reasons: string;
  channel: ReportChannel;
  reporterId: string | null;
  actionDayId: string | null;
  hasPhoto: number;
  observedAt: string;
  receivedAt: string;
  /** HMAC of the anonymous reporter's outcome code; null when none was given. */
  lookupHash: string | null;
  reviewedAt: string | null;
  reviewOutcome: ReviewOutcome | null;
};

/** How the data-quality review handled a could-not-check or wrong-listing report. */
export const REVIEW_OUTCOMES = ['kept', 'removed'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export type ReportPhotoRow = {
  reportId: string;
  mime: string;
  width: number;
  height: number;
  size: number;
  /** Base64 of the XChaCha20-Poly1305 box of the re-encoded image. */
  data: string;
  createdAt: string;
};

export type StatusEventRow = {
  id: string;
  businessId: string;
  at: string;
  fromStatus: BusinessStatus;
  toStatus: BusinessStatus;
  cause: 'report' | 'inspection' | 'notice' | 'penalty' | 'payment' | 'referral' | 'import' | 'demo';
  reportId: string | null;
  actorId: string | null;
};

/** An enforcement case's stage; see enforcement.ts for the steps between them. */
export type CaseStage = 'compliant' | 'violation' | 'notice_sent' | 'cured' | 'penalised' | 'paid' | 'referred';

export type CaseRow = {
  id: string;
  businessId: string;
  stage: CaseStage;
  openedAt: string;
  noticeSentAt: string | null;
  cureDueAt: string | null;
  penaltyUsd: number | null;
  closedAt: string | null;
  updatedAt: string;
  /** `2026-0147`: the year the case was opened (California) and its place in that year. */
  caseNumber: string | null;
};

export type CaseStepRow = {
  id: string;
  caseId: string;
  at: string;
  action: string;
  fromStage: string;
  toStage: string;
  actorId: string | null;
  notes: string | null;
  /** What the inspector found, as comma-separated codes (see DEFICIENCIES); empty for none. */
  deficiencies: string;
  /** The audit row this step wrote (null only for a step whose row could not be paired). */
  auditSeq: number | null;
};

/** A photo from a visit or re-inspection, re-encoded and sealed like a report photo. */
export type CasePhotoRow = { id: string; caseId: string; stepId: string; mime: string; width: number; height: number; size: number; data: string; createdAt: string };

/** A letter as issued: `text` before letterheads, `html` the letter's markup as rendered then. */
export type NoticeRow = { id: string; caseId: string; businessId: string; letter: string; sha256: string; createdAt: string; format: 'text' | 'html' };

export type CaseCounterRow = { year: number; last: number };

export type ActionDayRow = { id: string; day: string; title: string; createdBy: string | null; createdAt: string };
export type ActionTeamRow = { id: string; actionDayId: string; name: string };
export type ActionMemberRow = { teamId: string; accountId: string };
export type ActionStopRow = { id: string; actionDayId: string; teamId: string; businessId: string; position: number };

export type AlertSentRow = { key: string; sentAt: string };
export type DigestSubscriberRow = { accountId: string; createdAt: string };

export type MapTables = {
  mapAlertsSent: AlertSentRow;
  mapDigestSubscribers: DigestSubscriberRow;
  mapActionDays: ActionDayRow;
  mapActionTeams: ActionTeamRow;
  mapActionMembers: ActionMemberRow;
  mapActionStops: ActionStopRow;
  mapCases: CaseRow;
  mapCaseCounters: CaseCounterRow;
  mapCaseSteps: CaseStepRow;
  mapCasePhotos: CasePhotoRow;
  mapNotices: NoticeRow;
  mapRules: RuleRow;
  mapCategories: CategoryRow;
  mapBusinesses: BusinessRow;
  mapBusinessChanges: { id: number; version: number };
  mapReports: ReportRow;
  mapReportPhotos: ReportPhotoRow;
  mapStatusEvents: StatusEventRow;
};
