import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../../../core/context.ts';
import type { FormErrors, FormResult } from '../../../core/http/forms.ts';
import type { UploadedFile } from '../../../core/http/multipart.ts';
import { chooseFilesAgain, cleanUploads } from '../../../core/uploads/index.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import { REPORT_PHOTOS } from '../shared/photos.ts';
import type { ReportForm } from '../schema.ts';
import { businessPage, submitReport } from '../businesses/service.ts';
import { codeHash, newOutcomeCode } from './outcome.service.ts';

/** How many reports one client (an HMAC of the address, or an account) may send in a window. */
export type ReportLimit = { key: string; count: number; windowMs: number };

export type ReportFormInput = {
  businessId: string;
  form: FormResult<ReportForm>;
  files: UploadedFile[];
  photoKey: Uint8Array;
  limit: ReportLimit;
  /** Anonymous reports on this one business, whoever sends them: counted only for a report that would be stored. */
  businessLimit?: ReportLimit;
  /** The anonymous form's token was missing or stale: the form comes back, with nothing lost. */
  stale?: boolean;
  /** Whose report it is: the public's, or a signed-in volunteer's. */
  reporter: { channel: 'public' } | { channel: 'volunteer'; id: string };
};

/**
 * Stored (`code`: the outcome code for an anonymous reporter, shown once, when this try stored
 * the report), or the form back with what was typed: 422 to correct it, 429 over a limit.
 */
export type ReportFormAnswer =
  | { ok: true; businessId: string; code?: string }
  | { ok: false; status: 422 | 429; form: FormState; reportId: string; retryAfter?: number };

/**
 * A report posted with its photo: the business must exist, the client is within its limit
 * (checked before any photo is decoded), the form and photo are checked, the business is within
 * its limit of anonymous reports, and the report is stored once whatever the number of tries.
 */
export async function receiveReportForm(ctx: Context, input: ReportFormInput): Promise<ReportFormAnswer> {
  await businessPage(ctx, input.businessId);
  const { form } = input;
  const over = async (limit: ReportLimit, key: string) => {
    const decision = await ctx.rateLimiter.consume(limit.key, limit.count, limit.windowMs);
    return decision.allowed ? undefined : refused(input, 429, { _form: { key } }, decision.retryAfterSeconds);
  };
  const clientOver = await over(input.limit, 'map.report.errors.tooMany');
  if (clientOver) return clientOver;
  const errors: FormErrors = form.ok ? {} : { ...form.errors };
  if (input.stale) errors._form = { key: 'map.report.errors.stale' };
  // On the volunteer's form the id is a hidden field: its message belongs to the form, not to a field to jump to.
  if (input.reporter.channel === 'volunteer' && errors.reportId) {
    errors._form = errors.reportId;
    delete errors.reportId;
  }
  const { clean: photos, problem } = await cleanUploads(input.files, 'photo', REPORT_PHOTOS);
  if (problem) errors.photo = problem;
  if (!form.ok || Object.keys(errors).length > 0) return refused(input, 422, errors);
  if (input.businessLimit) {
    const businessOver = await over(input.businessLimit, 'map.report.errors.businessLimit');
    if (businessOver) return businessOver;
  }
  const photo = photos[0];
  const code = input.reporter.channel === 'public' ? newOutcomeCode() : undefined;
  const outcome = await submitReport(ctx, {
    id: form.data.reportId,
    businessId: input.businessId,
    observed: form.data.observed,
    problems: form.data.observed === 'wrong' ? form.data.problems : [],
    note: form.data.note,
    channel: input.reporter.channel,
    ...(input.reporter.channel === 'volunteer' ? { reporterId: input.reporter.id } : {}),
    photo: photo ? { clean: photo, key: input.photoKey } : undefined,
    ...(code ? { lookupHash: codeHash(ctx.secret, code) } : {}),
  });
  return { ok: true, businessId: outcome.businessId, ...(code && outcome.created ? { code } : {}) };
}

/** The form back as typed; a chosen photo is not kept, and saying so is part of the answer. */
function refused(input: ReportFormInput, status: 422 | 429, errors: FormErrors, retryAfter?: number): ReportFormAnswer {
  const { form } = input;
  const chosen = input.files.filter((f) => f.field === 'photo').length;
  chooseFilesAgain(errors, { field: 'photo', chosen, message: { key: 'map.report.errors.photoAgain' } });
  // The same id again: if this person's first try did get through, fixing the form cannot store it twice.
  const sent = form.values.reportId;
  const reportId = typeof sent === 'string' && z.uuid().safeParse(sent).success ? sent : randomUUID();
  return { ok: false, status, form: { values: form.values, errors }, reportId, ...(retryAfter ? { retryAfter } : {}) };
}
