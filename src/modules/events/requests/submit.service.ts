import { randomBytes } from 'node:crypto';
import type { Context } from '../../../core/context.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import type { FormResult, FormValues } from '../../../core/http/forms.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import type { TrainingRequestRow } from '../tables.ts';
import { acknowledgementEmail } from '../emails/requests.tsx';
import * as repo from './repo.ts';
import type { RequestForm } from './schema.ts';

/**
 * Requests one client may send per hour. An office asks once, perhaps twice with a correction;
 * a burst is a robot. The key is an HMAC of the address, which is never stored.
 */
export const REQUEST_LIMIT = { count: 5, windowMs: 3600_000 } as const;

// Crockford's base 32 without I, L, O, U: a reference read out on the phone is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `TR-` and eight characters: 40 random bits, quoted by the requester, unique by the table. */
export function newReference(): string {
  const bytes = randomBytes(8);
  return `TR-${[...bytes].map((b) => ALPHABET[b % 32]).join('')}`;
}

/** What comes back into the form: everything typed, never the token or the robot field. */
export function keptValues(values: FormValues): FormValues {
  const { _csrf: _token, website: _robot, ...rest } = values;
  return rest;
}

export type RequestFormNotice = 'expired' | 'check' | 'tooMany' | 'serverError';

export type RequestFormAnswer =
  | { page: 'form'; status: number; form: FormState; notice?: RequestFormNotice; retryAfterSeconds?: number; failure?: unknown }
  | { page: 'sent'; reference: string };

export type RequestFormInput = { form: FormResult<RequestForm>; tokenValid: boolean; locale: string; clientKey: string };

/** Receives the public form: the per-client limit, the token and robot field, then the request stored and acknowledged. */
export async function receiveRequestForm(ctx: Context, input: RequestFormInput): Promise<RequestFormAnswer> {
  const values = keptValues(input.form.values);
  const again = (status: number, extra: Omit<Extract<RequestFormAnswer, { page: 'form' }>, 'page' | 'status' | 'form'> = {}, errors = {}): RequestFormAnswer =>
    ({ page: 'form', status, form: { values, errors }, ...extra });

  const decision = await ctx.rateLimiter.consume(input.clientKey, REQUEST_LIMIT.count, REQUEST_LIMIT.windowMs);
  if (!decision.allowed) return again(429, { notice: 'tooMany', retryAfterSeconds: decision.retryAfterSeconds });
  if (!input.tokenValid) return again(422, { notice: 'expired' });
  if (input.form.values.website) return again(422, { notice: 'check' });
  if (!input.form.ok) return again(422, {}, input.form.errors);
  try {
    return { page: 'sent', reference: await storeRequest(ctx, input.form.data, input.locale) };
  } catch (failure) {
    return again(500, { notice: 'serverError', failure });
  }
}

/** Stores a request and queues its acknowledgement in one transaction; answers its reference. */
export async function storeRequest(ctx: Context, form: RequestForm, locale: string): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const dates = [form.date1, form.date2, form.date3].filter((d): d is string => d !== undefined);
  const row: TrainingRequestRow = {
    id: newId(),
    reference: newReference(),
    status: 'submitted',
    organization: form.organization,
    sector: form.sector,
    audienceSize: form.audienceSize,
    audienceAges: form.audienceAges,
    format: form.format,
    city: form.city,
    preferredDates: JSON.stringify([...new Set(dates)]),
    language: form.language,
    topics: JSON.stringify([...new Set(form.topics)]),
    accessibility: form.accessibility ?? '',
    contactName: form.contactName,
    contactEmail: form.contactEmail,
    contactPhone: form.contactPhone ?? '',
    locale,
    declineReason: null,
    trainerId: null,
    eventId: null,
    createdAt: now,
    touchedAt: now,
  };
  const settings = await ctx.settings.get();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertRequest(trx, row);
    const email = acknowledgementEmail(ctx.catalogs, {
      locale,
      officeName: settings.officeName,
      contactName: row.contactName,
      organization: row.organization,
      reference: row.reference,
      contactEmail: settings.contactEmail,
    });
    await ctx.mailer.queue(trx, row.contactEmail, email);
  });
  return row.reference;
}
