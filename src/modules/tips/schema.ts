import { z } from 'zod';
import { checkboxes, optionalText } from '../../core/http/forms.ts';
import { AGENCIES, DISPOSITIONS, MINOR_ANSWERS, SIGNS, TIP_KINDS, TIP_STATUSES } from './tables.ts';

/** The public tip form. Only "what happened" is required; every other answer may be left out. */
export const tipFormSchema = z
  .object({
    whatHappened: z.string().trim().min(1, 'tips.errors.whatHappened').max(20_000),
    kind: z.enum(TIP_KINDS).default('unsure'),
    whereAddress: optionalText(300),
    whereCity: optionalText(120),
    whereBusiness: optionalText(200),
    whereDetails: optionalText(2000),
    when: optionalText(500),
    peopleCount: optionalText(100),
    peopleAges: optionalText(300),
    minor: z.enum(MINOR_ANSWERS).default('unsure'),
    danger: z.enum(['yes', 'no']).default('no'),
    signs: checkboxes(z.enum(SIGNS)),
    signsOther: optionalText(1000),
    vehicles: optionalText(2000),
    phones: optionalText(2000),
    online: optionalText(2000),
    contactMode: z.enum(['anonymous', 'details']).default('anonymous'),
    contactDetails: optionalText(2000),
    submissionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional().catch(undefined),
  })
  .refine((v) => v.contactMode === 'anonymous' || v.contactDetails !== undefined, {
    path: ['contactDetails'],
    message: 'tips.errors.contactDetails',
  });

export type TipForm = z.output<typeof tipFormSchema>;

/** A receipt code as typed: the digits are read by `parseReceipt`. */
export const receiptFormSchema = z.object({ receipt: z.string().trim().min(1, 'tips.errors.receiptMissing').max(64) });

export const tipsterMessageSchema = z.object({
  receipt: z.string().max(64),
  message: z.string().trim().min(1, 'tips.errors.messageMissing').max(20_000),
});

const idParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const tipParamsSchema = z.object({ id: idParam });
export const attachmentParamsSchema = z.object({ id: idParam, fileId: idParam });

const all = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

/** Queue filters from the query string; anything unknown is ignored rather than refused. */
export const queueQuerySchema = z.object({
  status: z.union([z.enum(TIP_STATUSES), z.enum(['open', 'all'])]).default('open').catch('open'),
  kind: all(TIP_KINDS),
  assignee: z.string().regex(/^(none|[A-Za-z0-9_-]{1,64})$/).optional().catch(undefined),
  language: z.string().regex(/^[a-z]{2,3}$/).optional().catch(undefined),
  urgent: z.literal('1').optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type QueueQuery = z.output<typeof queueQuerySchema>;

/** Notices a tip page shows after a successful post, named in the redirect. */
export const TIP_NOTICES = ['status', 'assigned', 'tags', 'duplicate', 'note', 'reply', 'granted', 'spamFlagged'] as const;
export type TipNotice = (typeof TIP_NOTICES)[number];
/** Refusals a tip page shows after a post, named in the redirect. */
export const TIP_REFUSALS = ['skipped', 'agency', 'disposition', 'actionableNeedsWork', 'changed', 'duplicateUnknown', 'empty', 'assignee', 'noAccess', 'notReader', 'reason'] as const;
export type TipRefusal = (typeof TIP_REFUSALS)[number];

/** What a tip page says after a post; an unknown notice or refusal is not shown at all. */
export const tipPageQuerySchema = z.object({ done: all(TIP_NOTICES), error: all(TIP_REFUSALS) });

/** The statistics page after the retention period was saved. */
export const statsQuerySchema = z.object({ saved: z.literal('1').optional().catch(undefined) });

const shownCount = z.coerce.number().int().min(0).catch(0);
/** The access page after sharing: how many tips were granted and how many could not be opened. */
export const accessQuerySchema = z.object({ granted: shownCount.optional(), unavailable: shownCount });

export const statusFormSchema = z.object({
  to: z.enum(TIP_STATUSES),
  referredTo: z.preprocess((v) => (v === '' ? undefined : v), z.enum(AGENCIES).optional()),
  disposition: z.preprocess((v) => (v === '' ? undefined : v), z.enum(DISPOSITIONS).optional()),
});

export const assignFormSchema = z.object({ assigneeId: z.union([z.literal(''), idParam]) });
export const tagsFormSchema = z.object({ tags: z.string().max(500) });
export const duplicateFormSchema = z.object({ duplicateOf: z.string().trim().max(80) });
export const noteFormSchema = z.object({ note: z.string().trim().min(1).max(20_000) });
export const replyFormSchema = z.object({ reply: z.string().trim().min(1).max(20_000) });
/** Why a staff member opens a tipster's contact details: written to the audit row. */
export const contactFormSchema = z.object({ reason: z.string().trim().min(3, 'tips.errors.reason').max(300) });
export const spamFlagFormSchema = z.object({});
/** An administrator deleting a tip as spam: the tip (id or T- reference) and why. */
export const spamDeleteFormSchema = z.object({
  reference: z.string().trim().min(1, 'tips.spam.errors.reference').max(80),
  reason: z.string().trim().min(3, 'tips.errors.reason').max(300),
});
/** The spam page after a deletion. */
export const spamQuerySchema = z.object({ deleted: z.literal('1').optional().catch(undefined) });
export const grantFormSchema = z.object({ accountId: idParam });
export const grantAllFormSchema = z.object({
  accountId: idParam,
  source: z.enum(['own', 'recovery']),
  recoveryKey: z.string().max(400).optional(),
});
export const retentionFormSchema = z.object({ days: z.coerce.number().int().min(1).max(3650) });
