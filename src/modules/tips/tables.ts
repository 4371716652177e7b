/** Workflow states, in the order a tip usually moves through them. */
export const TIP_STATUSES = ['new', 'in_review', 'referred', 'investigating', 'closed'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];

export const TIP_KINDS = ['sex', 'labour', 'unsure', 'other'] as const;
export type TipKind = (typeof TIP_KINDS)[number];

export const MINOR_ANSWERS = ['yes', 'no', 'unsure'] as const;
export type MinorAnswer = (typeof MINOR_ANSWERS)[number];

/** Agencies a tip is referred to. */
export const AGENCIES = ['police', 'labour_standards', 'child_welfare', 'service_provider'] as const;
export type Agency = (typeof AGENCIES)[number];

/** How a closed tip ended. */
export const DISPOSITIONS = ['actionable', 'not_trafficking', 'duplicate', 'spam'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Signs a tipster can tick; the answers themselves are encrypted. */
export const SIGNS = [
  'cannot_leave',
  'documents_taken',
  'debt',
  'lives_at_work',
  'speaks_for_them',
  'abuse',
  'unpaid',
  'long_hours',
  'fearful',
  'coached',
] as const;
export type Sign = (typeof SIGNS)[number];

export type TipRow = {
  id: string;
  receiptLookup: string;
  receiptKeyBox: string;
  submissionKey: string | null;
  kind: TipKind;
  urgent: number;
  minor: MinorAnswer;
  language: string;
  status: TipStatus;
  referredTo: Agency | null;
  disposition: Disposition | null;
  assigneeId: string | null;
  duplicateOf: string | null;
  /** ISO time truncated to the hour. */
  receivedAt: string;
  firstReviewedAt: string | null;
  closedAt: string | null;
  notifyPending: number;
  /** 1 when the tipster wrote last: staff should answer. */
  tipsterWaiting: number;
  messageCount: number;
  answersBox: string;
  contactBox: string | null;
  tagsBox: string | null;
  /** The UTC date the follow-up counts below belong to. */
  quotaDay: string | null;
  quotaMessages: number;
  quotaBytes: number;
  /** When a reviewer flagged the tip as spam, for an administrator to delete. */
  spamFlaggedAt: string | null;
};

export type HolderType = 'account' | 'office';

export type GrantRow = {
  tipId: string;
  holderType: HolderType;
  holderId: string;
  sealedKey: string;
  /** Hash of the public key the tip key was sealed to. */
  holderKey: string;
  grantedBy: string | null;
  grantedAt: string;
};

/** The contact details' own key, sealed to a holder who may see a tipster's identity. */
export type ContactGrantRow = Omit<GrantRow, 'grantedBy'>;

export type MessageRow = {
  id: string;
  tipId: string;
  seq: number;
  author: 'tipster' | 'staff';
  authorId: string | null;
  at: string;
  bodyBox: string;
};

export type NoteRow = { id: string; tipId: string; authorId: string; at: string; bodyBox: string };

export type AttachmentRow = { id: string; tipId: string; messageId: string | null; at: string; metaBox: string; dataBox: string };

export type TipsTables = {
  tips: TipRow;
  tipGrants: GrantRow;
  tipContactGrants: ContactGrantRow;
  tipMessages: MessageRow;
  tipNotes: NoteRow;
  tipAttachments: AttachmentRow;
  tipNotices: { kind: string; sentAt: string };
};

/** Metadata a list may show: never a box. */
export type TipSummary = Pick<
  TipRow,
  'id' | 'kind' | 'urgent' | 'minor' | 'language' | 'status' | 'referredTo' | 'disposition' | 'assigneeId' | 'duplicateOf' | 'receivedAt' | 'firstReviewedAt' | 'closedAt' | 'tipsterWaiting' | 'spamFlaggedAt'
>;
