import { z } from 'zod';
import { blankToUndefined, checkboxes, optionalText } from '../../core/http/forms.ts';
import { categoryCodeSchema } from './rules/categories.ts';
import { CASE_ACTIONS, DEFICIENCIES } from './enforcement/enforcement.ts';
import { BUSINESS_STATUSES, OBSERVATIONS, PROBLEMS, REVIEW_OUTCOMES } from './tables.ts';

/** The public list's query string. Each filter is read on its own: one bad value is dropped, not a failed page. */
export const listQuerySchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()).catch(undefined),
  category: z.preprocess(blankToUndefined, categoryCodeSchema.optional()).catch(undefined),
  city: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()).catch(undefined),
  status: z.preprocess(blankToUndefined, z.enum(BUSINESS_STATUSES).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

const coordinate = (limit: number) =>
  z.string().trim().regex(/^[-+]?\d{1,3}(\.\d{1,12})?$/).transform(Number).pipe(z.number().min(-limit).max(limit));

/** `bbox=minLng,minLat,maxLng,maxLat&zoom=z` (and the list's filters); any problem is a 400. */
export const bboxQuerySchema = z.object({
  bbox: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.tuple([coordinate(180), coordinate(90), coordinate(180), coordinate(90)]))
    .transform(([minLng, minLat, maxLng, maxLat]) => ({ minLng, minLat, maxLng, maxLat }))
    .refine((b) => b.minLng <= b.maxLng && b.minLat <= b.maxLat, 'min must not exceed max'),
  zoom: z.string().regex(/^\d{1,2}$/).transform(Number).pipe(z.number().int().min(0).max(22)),
  q: z.string().trim().max(100).optional(),
  category: z.preprocess(blankToUndefined, categoryCodeSchema.optional()),
  city: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
  status: z.preprocess(blankToUndefined, z.enum(BUSINESS_STATUSES).optional()),
});

export const NOTE_MAX = 1000;

/** The three-tap report. `problems` only matters (and is then required) for a notice posted but wrong. */
export const reportFormSchema = z
  .object({
    reportId: z.uuid('map.report.errors.expired'),
    observed: z.enum(OBSERVATIONS, 'map.report.errors.chooseObservation'),
    problems: checkboxes(z.enum(PROBLEMS)),
    note: optionalText(NOTE_MAX),
  })
  .superRefine((form, ctx) => {
    if (form.observed === 'wrong' && form.problems.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['problems'], message: 'map.report.errors.chooseProblem' });
    }
  });
export type ReportForm = z.infer<typeof reportFormSchema>;

/** The owner's check: a category (the route checks it is a stored one), then the exception question when it has one. */
export const checkQuerySchema = z.object({
  category: z.string('map.check.errors.chooseCategory').trim().regex(/^[a-z][a-z0-9_]{1,39}$/, 'map.check.errors.chooseCategory'),
  answer: z.enum(['yes', 'no'], 'map.check.errors.chooseAnswer').optional(),
});

export const NOTICE_LANGS = ['all', 'en', 'es', 'county'] as const;
/** Letter (8.5 × 11 in) is the law's minimum; legal is the larger sheet some offices post. */
export const NOTICE_PAPERS = ['letter', 'legal'] as const;
export const noticeQuerySchema = z.object({ lang: z.enum(NOTICE_LANGS).catch('all'), paper: z.enum(NOTICE_PAPERS).catch('letter') });

/** The dashboard's weekly trend: the whole area, or one city and/or category. */
export const dashboardQuerySchema = z.object({
  city: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()).catch(undefined),
  category: z.preprocess(blankToUndefined, categoryCodeSchema.optional()).catch(undefined),
});

/** The inspection queue's filter: one city or all. */
export const inspectionQuerySchema = z.object({ city: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()).catch(undefined) });

/** One step of an enforcement case: which button was pressed, and the inspector's notes. */
export const caseStepFormSchema = z.object({
  action: z.enum(CASE_ACTIONS),
  notes: z.preprocess(blankToUndefined, z.string().trim().max(4000).optional()),
  /** What a visit found: kept with a violation, printed in the notice of violation. */
  deficiencies: checkboxes(z.enum(DEFICIENCIES)),
});

/** The `:id` of a route; anything that could not be one of our ids is a 404, never a query. */
export const idParamsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** A category's rule page: a code that could not be one is a 404 here, an unknown one in the route. */
export const categoryParamsSchema = z.object({ code: categoryCodeSchema });

/** The rules overview after an amendment (`?done=1`) or a new category (`?done=added`). */
export const rulesDoneQuerySchema = z.object({ done: z.enum(['1', 'added']).optional().catch(undefined) });

/** `?done=1` after a change saved: shows the notice, anything else is ignored. */
export const doneQuerySchema = z.object({ done: z.literal('1').optional().catch(undefined) });

/** `?done=step` on a case file after a step was recorded. */
export const caseQuerySchema = z.object({ done: z.literal('step').optional().catch(undefined) });

const lines = (v: string) => v.split(/[\n,\s]+/).map((x) => x.trim()).filter(Boolean);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "Team name: a@example.org, b@example.org", one team a line. */
function parseTeams(text: string): { name: string; emails: string[] }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf(':');
      const name = (at < 0 ? line : line.slice(0, at)).trim();
      const emails = at < 0 ? [] : line.slice(at + 1).split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
      return { name, emails };
    });
}

/**
 * A day of action: its date and title, the area (cities, business ids, or both) and the teams,
 * one a line as "Team name: volunteer@example.org, other@example.org".
 */
export const actionDayFormSchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'common.form.invalidDate'),
  title: z.string().trim().min(1).max(120),
  cities: z.preprocess((v) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]), z.array(z.string().trim().max(120)).max(50)),
  businessIds: z
    .preprocess((v) => v ?? '', z.string())
    .transform(lines)
    .refine((ids) => ids.length <= 2000 && ids.every((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)), 'map.actions.errors.businessIds'),
  teams: z
    .string('map.actions.errors.teams')
    .transform(parseTeams)
    .refine((teams) => teams.length > 0 && teams.length <= 50 && teams.every((t) => t.name && t.name.length <= 80 && t.emails.length > 0 && t.emails.every((e) => EMAIL.test(e))), 'map.actions.errors.teams'),
});
export type ActionDayForm = z.infer<typeof actionDayFormSchema>;

/** A volunteer's report from a stop on their route: the public report form without a photo. */
export const routeReportFormSchema = reportFormSchema;

/** A queued report from the offline route list, sent as JSON with the time it was made. */
export const queuedReportSchema = z
  .object({
    reportId: z.uuid(),
    observed: z.enum(OBSERVATIONS),
    problems: z.array(z.enum(PROBLEMS)).max(PROBLEMS.length).default([]),
    note: z.string().trim().max(NOTE_MAX).optional(),
    observedAt: z.iso.datetime().optional(),
  })
  .refine((r) => r.observed !== 'wrong' || r.problems.length > 0, { path: ['problems'] });

/** The public outcome lookup: the code as the reporter wrote it down (checked for its shape by the service). */
export const reportStatusFormSchema = z.object({
  code: z.string('map.outcome.errors.format').trim().min(1, 'map.outcome.errors.format').max(40, 'map.outcome.errors.format'),
});

/** The data-quality review of one listing: the listing is right, or take the business off the map. */
export const dataQualityReviewSchema = z.object({ outcome: z.enum(REVIEW_OUTCOMES) });

/** `?done=kept|removed` after a review. */
export const dataQualityQuerySchema = z.object({ done: z.enum(REVIEW_OUTCOMES).optional().catch(undefined) });
