import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../../../core/context.ts';
import { AppError } from '../../../core/http/errors.ts';
import type { FormErrors, FormResult } from '../../../core/http/forms.ts';
import type { UploadedFile } from '../../../core/http/multipart.ts';
import { chooseFilesAgain, cleanUploads } from '../../../core/uploads/index.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import { REPORT_PHOTOS } from '../shared/photos.ts';
import type { ReportForm } from '../schema.ts';
import { businessPage, submitReport } from '../businesses/service.ts';

/** How many reports one client (an HMAC of the address, or an account) may send in a window. */
export type ReportLimit = { key: string; count: number; windowMs: number };

export type ReportFormInput = {
  businessId: string;
  form: FormResult<ReportForm>;
  files: UploadedFile[];
  photoKey: Uint8Array;
  limit: ReportLimit;
  /** The anonymous form's token was missing or stale: the form comes back, with nothing lost. */
  stale?: boolean;
  /** Whose report it is: the public's, or a signed-in volunteer's. */
  reporter: { channel: 'public' } | { channel: 'volunteer'; id: string };
};

export type ReportFormAnswer = { ok: true; businessId: string } | { ok: false; form: FormState; reportId: string };

/**
 * A report posted with its photo: the business must exist, the client is within its limit
 * (refused with 429 before any photo is decoded), the form and photo are checked, and the
 * report is stored once whatever the number of tries.
 */
export async function receiveReportForm(ctx: Context, input: ReportFormInput): Promise<ReportFormAnswer> {
  await businessPage(ctx, input.businessId);
  const decision = await ctx.rateLimiter.consume(input.limit.key, input.limit.count, input.limit.windowMs);
  if (!decision.allowed) throw new AppError('too_many_requests', { retryAfter: decision.retryAfterSeconds });
  const { form } = input;
  const errors: FormErrors = form.ok ? {} : { ...form.errors };
  if (input.stale) errors._form = { key: 'map.report.errors.stale' };
  // On the volunteer's form the id is a hidden field: its message belongs to the form, not to a field to jump to.
  if (input.reporter.channel === 'volunteer' && errors.reportId) {
    errors._form = errors.reportId;
    delete errors.reportId;
  }
  const { clean: photos, problem } = await cleanUploads(input.files, 'photo', REPORT_PHOTOS);
  if (problem) errors.photo = problem;
  if (!form.ok || Object.keys(errors).length > 0) {
    const chosen = input.files.filter((f) => f.field === 'photo').length;
    chooseFilesAgain(errors, { field: 'photo', chosen, message: { key: 'map.report.errors.photoAgain' } });
    // The same id again: if this person's first try did get through, fixing the form cannot store it twice.
    const sent = form.values.reportId;
    const reportId = typeof sent === 'string' && z.uuid().safeParse(sent).success ? sent : randomUUID();
    return { ok: false, form: { values: form.values, errors }, reportId };
  }
  const photo = photos[0];
  const outcome = await submitReport(ctx, {
    id: form.data.reportId,
    businessId: input.businessId,
    observed: form.data.observed,
    problems: form.data.observed === 'wrong' ? form.data.problems : [],
    note: form.data.note,
    channel: input.reporter.channel,
    ...(input.reporter.channel === 'volunteer' ? { reporterId: input.reporter.id } : {}),
    photo: photo ? { clean: photo, key: input.photoKey } : undefined,
  });
  return { ok: true, businessId: outcome.businessId };
}
