import type { Context } from '../../core/context.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import type { FormErrors, FormResult, FormValues } from '../../core/http/forms.ts';
import { chooseFilesAgain, cleanUploads } from '../../core/uploads/index.ts';
import type { FormState } from '../../core/views/forms.tsx';
import { chosenFiles, FILES_FIELD, limitProblem, TIP_UPLOADS, type TipUpload } from './attachments.ts';
import { addTipsterMessage, type OpenedTip } from './follow-up.service.ts';
import type { ReceiptKeys } from './receipt-keys.ts';
import type { TipForm } from './schema.ts';
import { submitTip } from './submit.service.ts';
import type { TipFormNotice } from './views/tip-form.tsx';

/**
 * Tips one client may send per hour. One person sends one, perhaps two; a burst of a hundred
 * is a robot, and waits. The key is an HMAC of the address, which is never stored.
 */
export const SUBMIT_LIMIT = { count: 20, windowMs: 3600_000 } as const;

const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;
const FILES_AGAIN = { key: 'tips.errors.filesAgain' };

/** What comes back into the form: everything typed, but never the token or the robot field. */
export function keptValues(values: FormValues): FormValues {
  const { _csrf, website, ...rest } = values;
  return rest;
}

/**
 * The messages a posted tip-line form earns before anything is cleaned or stored: a text cut
 * short, its schema's, a limit the body ran into, and "attach your files again" when refused.
 */
function formErrors<T>(form: FormResult<T>, upload: TipUpload): { errors: FormErrors; status: number } {
  const errors: FormErrors = form.ok ? {} : { ...form.errors };
  if (upload.truncatedValues) errors._form = { key: 'tips.errors.tooLong' };
  const limit = limitProblem(upload);
  if (limit) errors[FILES_FIELD] = limit.error;
  chooseFilesAgain(errors, { field: FILES_FIELD, chosen: chosenFiles(upload), message: FILES_AGAIN });
  return { errors, status: limit?.status ?? 422 };
}

export type TipFormInput = { form: FormResult<TipForm>; upload: TipUpload; tokenValid: boolean; language: string; clientKey: string };

/** The answer to a posted tip: the form again (with why), the receipt, or "already received". */
export type TipFormAnswer =
  | { page: 'form'; status: number; form: FormState; submissionId: string; notice?: TipFormNotice; retryAfterSeconds?: number; failure?: unknown }
  | { page: 'receipt'; receipt: string; urgent: boolean }
  | { page: 'duplicate' };

/**
 * Receives the tip form: the per-client limit, the form's token and robot field, its messages,
 * its files cleaned, then the tip stored. A refused or failed post keeps everything typed.
 */
export async function receiveTipForm(ctx: Context, receipts: ReceiptKeys, input: TipFormInput): Promise<TipFormAnswer> {
  const values = keptValues(input.form.values);
  const sentId = values.submissionId;
  const submissionId = typeof sentId === 'string' && SUBMISSION_ID.test(sentId) ? sentId : newId();
  const again = (status: number, errors: FormErrors, extra: { notice?: TipFormNotice; retryAfterSeconds?: number; failure?: unknown } = {}): TipFormAnswer =>
    ({ page: 'form', status, form: { values, errors }, submissionId, ...extra });

  const decision = await ctx.rateLimiter.consume(input.clientKey, SUBMIT_LIMIT.count, SUBMIT_LIMIT.windowMs);
  if (!decision.allowed) return again(429, {}, { notice: 'tooMany', retryAfterSeconds: decision.retryAfterSeconds });
  if (!input.tokenValid) return again(422, {}, { notice: 'expired' });
  if (input.form.values.website) return again(422, {}, { notice: 'check' });
  const { errors, status } = formErrors(input.form, input.upload);
  if (!input.form.ok || Object.keys(errors).length) return again(status, errors);

  const cleaned = await cleanUploads(input.upload.files, FILES_FIELD, TIP_UPLOADS);
  if (cleaned.problem) return again(422, { [FILES_FIELD]: cleaned.problem });
  try {
    const result = await submitTip(ctx, receipts, { form: input.form.data, language: input.language, files: cleaned.clean });
    if (result.outcome === 'closed') return again(503, {}, { notice: 'closed' });
    if (result.outcome === 'duplicate') return { page: 'duplicate' };
    return { page: 'receipt', receipt: result.receipt, urgent: result.urgent };
  } catch (failure) {
    // Our failure must not cost the person what they typed: the form comes back filled.
    const filesAgain = chooseFilesAgain({}, { field: FILES_FIELD, chosen: chosenFiles(input.upload), message: FILES_AGAIN, refused: true });
    return again(500, filesAgain, { notice: 'serverError', failure });
  }
}

export type TipsterMessageInput = { form: FormResult<{ message: string }>; upload: TipUpload; tokenValid: boolean };

/** A tipster's message on their tip, with its files; refused, the message comes back as typed. */
export async function receiveTipsterMessage(ctx: Context, opened: OpenedTip, input: TipsterMessageInput): Promise<{ status: number; form: FormState; sent?: boolean; expired?: boolean }> {
  const values = keptValues(input.form.values);
  if (!input.tokenValid) return { status: 422, form: { values, errors: {} }, expired: true };
  const { errors, status } = formErrors(input.form, input.upload);
  if (!input.form.ok || Object.keys(errors).length) return { status, form: { values, errors } };
  const cleaned = await cleanUploads(input.upload.files, FILES_FIELD, TIP_UPLOADS);
  if (cleaned.problem) return { status: 422, form: { values, errors: { [FILES_FIELD]: cleaned.problem } } };
  if ((await addTipsterMessage(ctx, opened, input.form.data.message, cleaned.clean)) === 'over_quota') {
    const overQuota: FormErrors = { _form: { key: 'tips.errors.followUpQuota' } };
    if (input.upload.files.length) overQuota[FILES_FIELD] = { key: 'tips.errors.filesAgain' };
    return { status: 429, form: { values, errors: overQuota } };
  }
  return { status: 200, form: { values: {}, errors: {} }, sent: true };
}
