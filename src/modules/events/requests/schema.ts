import { z } from 'zod';
import { checkboxes, optionalText } from '../../../core/http/forms.ts';
import { FORMATS, REQUEST_STATUSES, SECTORS, TRAINING_TOPICS } from '../tables.ts';

const day = z.preprocess((v) => (v === '' ? undefined : v), z.iso.date('events.errors.date').optional());

/** The public "host a training" form. */
export const requestFormSchema = z.object({
  organization: z.string().trim().min(1, 'events.errors.organization').max(200),
  sector: z.enum(SECTORS, 'events.errors.sector'),
  audienceSize: z.coerce.number('events.errors.audienceSize').int('events.errors.audienceSize').min(1, 'events.errors.audienceSize').max(100_000, 'events.errors.audienceSize'),
  audienceAges: z.string().trim().min(1, 'events.errors.audienceAges').max(200),
  format: z.enum(FORMATS, 'events.errors.format'),
  city: z.string().trim().min(1, 'events.errors.city').max(120),
  date1: day,
  date2: day,
  date3: day,
  language: z.enum(['en', 'es', 'other'], 'events.errors.language'),
  topics: checkboxes(z.enum(TRAINING_TOPICS)),
  accessibility: optionalText(2000),
  contactName: z.string().trim().min(1, 'events.errors.contactName').max(200),
  contactEmail: z.string().trim().max(254).pipe(z.email('events.errors.contactEmail')),
  contactPhone: optionalText(40),
});
export type RequestForm = z.output<typeof requestFormSchema>;

const idParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const requestParamsSchema = z.object({ id: idParam });

/** The queue's filters; anything unknown is read as "open requests". */
export const queueQuerySchema = z.object({
  status: z.union([z.enum(REQUEST_STATUSES), z.enum(['open', 'all'])]).default('open').catch('open'),
  stale: z.literal('1').optional().catch(undefined),
});
export type QueueQuery = z.output<typeof queueQuerySchema>;

export const REQUEST_NOTICES = ['status', 'assigned', 'note', 'converted'] as const;
export const REQUEST_REFUSALS = ['transition', 'reason', 'trainer', 'note', 'converted'] as const;
export type RequestRefusal = (typeof REQUEST_REFUSALS)[number];
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);
export const requestPageQuerySchema = z.object({ done: oneOf(REQUEST_NOTICES), error: oneOf(REQUEST_REFUSALS) });

export const statusFormSchema = z.object({ to: z.enum(REQUEST_STATUSES), reason: optionalText(2000) });
export const assignFormSchema = z.object({ trainerId: z.string().max(64) });
export const noteFormSchema = z.object({ body: optionalText(5000) });
