import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../../../core/context.ts';
import { AppError } from '../../../core/http/errors.ts';
import type { FormErrors, FormResult } from '../../../core/http/forms.ts';
import type { UploadedFile } from '../../../core/http/multipart.ts';
import { chooseFilesAgain, cleanUploads } from '../../../core/uploads/index.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import * as enforcement from '../enforcement/service.ts';
import { REPORT_PHOTOS, STEP_PHOTOS } from '../shared/photos.ts';
import type { ReportForm } from '../schema.ts';
import { businessPage, submitReport } from '../businesses/service.ts';
import type { CaseAction } from '../enforcement/enforcement.ts';

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

export type StepFormInput = {
  form: FormResult<{ action: CaseAction; notes?: string | undefined }>;
  files: UploadedFile[];
  tooManyFiles: boolean;
  photoKey: Uint8Array;
};

export type StepFormAnswer = { ok: true } | { ok: false; status: 409 | 422; form: FormState };

/** An inspector's step on a case with its photos; refused, the notes come back as typed. */
export async function receiveStepForm(ctx: Context, businessId: string, input: StepFormInput): Promise<StepFormAnswer> {
  const { form, files, tooManyFiles } = input;
  const refuse = (status: 409 | 422, errors: FormErrors): StepFormAnswer => {
    // Chosen photos are not kept (a file input never refills): say so where they were chosen.
    chooseFilesAgain(errors, { field: 'photos', chosen: files.length, message: { key: 'map.enforcement.errors.photosAgain', params: { count: files.length } } });
    return { ok: false, status, form: { values: form.values, errors } };
  };
  const errors: FormErrors = form.ok ? {} : { ...form.errors };
  // Only a forged post names another action (the buttons offer the allowed ones): one line for the form.
  if (errors.action) {
    delete errors.action;
    // With far too many files the parser stops before the button's value: no step was chosen then.
    if (!tooManyFiles) errors._form = { key: 'map.enforcement.errors.skipped' };
  }
  const { clean: photos, problem } = tooManyFiles ? { clean: [], problem: undefined } : await cleanUploads(files, 'photos', STEP_PHOTOS);
  if (tooManyFiles) errors.photos = { key: 'map.enforcement.errors.tooManyPhotos', params: { max: enforcement.MAX_STEP_PHOTOS } };
  else if (problem) errors.photos = problem;
  if (!form.ok || Object.keys(errors).length > 0) return refuse(422, errors);
  const result = await enforcement.takeStep(ctx, businessId, { ...form.data, photos: { key: input.photoKey, clean: photos } });
  if (!result.ok && result.problem === 'gone') throw new AppError('not_found');
  if (!result.ok) return refuse(409, { _form: { key: result.problem } });
  return { ok: true };
}
