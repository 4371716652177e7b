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

/** Statuses only an inspector's visit, notice or penalty sets; a public report never overrides them. */
export const OFFICIAL_STATUSES: readonly BusinessStatus[] = ['verified_compliant', 'notice_sent', 'cured', 'penalised'];

export const OBSERVATIONS = ['posted', 'missing', 'wrong'] as const;
export type Observation = (typeof OBSERVATIONS)[number];

export const PROBLEMS = ['too_small', 'missing_language', 'hidden', 'no_text_line'] as const;
export type Problem = (typeof PROBLEMS)[number];

export type Judgement = 'compliant' | 'non_compliant' | 'not_covered';
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
};

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
};

/** A photo from a visit or re-inspection, re-encoded and sealed like a report photo. */
export type CasePhotoRow = { id: string; caseId: string; stepId: string; mime: string; width: number; height: number; size: number; data: string; createdAt: string };

export type NoticeRow = { id: string; caseId: string; businessId: string; letter: string; sha256: string; createdAt: string };

export type ActionDayRow = { id: string; day: string; title: string; createdBy: string | null; createdAt: string };
export type ActionTeamRow = { id: string; actionDayId: string; name: string };
export type ActionMemberRow = { teamId: string; accountId: string };
export type ActionStopRow = { id: string; actionDayId: string; teamId: string; businessId: string; position: number };

export type MapTables = {
  mapActionDays: ActionDayRow;
  mapActionTeams: ActionTeamRow;
  mapActionMembers: ActionMemberRow;
  mapActionStops: ActionStopRow;
  mapCases: CaseRow;
  mapCaseSteps: CaseStepRow;
  mapCasePhotos: CasePhotoRow;
  mapNotices: NoticeRow;
  mapRules: RuleRow;
  mapBusinesses: BusinessRow;
  mapBusinessChanges: { id: number; version: number };
  mapReports: ReportRow;
  mapReportPhotos: ReportPhotoRow;
  mapStatusEvents: StatusEventRow;
};
