import { z } from 'zod';
import { optionalText } from '../../core/http/forms.ts';
import { ACTION_GROUP_NAMES, type ActionGroup } from './sentences.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day as an `<input type="date">` sends it; empty means "no limit". */
const optionalDay = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z
    .string()
    .trim()
    .regex(DAY, 'audit.errors.date')
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'audit.errors.date')
    .optional(),
);

const cursor = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()).catch(undefined);

/**
 * The audit page's filters, from the query string. Dates are whole days in UTC, the time zone
 * the log is written in; `before`/`after` are keyset cursors (row numbers), not page numbers,
 * so a page stays the same while new rows arrive.
 */
export const auditFilterSchema = z
  .object({
    actor: optionalText(254),
    action: z.preprocess(
      (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase()) : v),
      z.string().max(100).regex(/^[a-z0-9_.]+$/, 'audit.errors.action').optional(),
    ),
    group: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ACTION_GROUP_NAMES as [ActionGroup, ...ActionGroup[]]).optional()),
    targetType: optionalText(60),
    targetId: optionalText(200),
    from: optionalDay,
    to: optionalDay,
    before: cursor,
    after: cursor,
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['to'], message: 'audit.errors.range' });

export type AuditFilterInput = z.output<typeof auditFilterSchema>;

/** Only what narrows the rows, without the page cursor: what an export and the links carry. */
export type AuditFilters = Omit<AuditFilterInput, 'before' | 'after'>;

export const FILTER_KEYS = ['actor', 'action', 'group', 'targetType', 'targetId', 'from', 'to'] as const;
