import { createHash, randomBytes } from 'node:crypto';
import type { Context } from '../../../core/context.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import type { FormResult, FormValues } from '../../../core/http/forms.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import { registrationEmail } from '../emails/registrations.tsx';
import type { EventRow, RegistrationRow } from '../tables.ts';
import * as repo from './repo.ts';
import type { RegistrationForm } from './schema.ts';
import { canChange } from './statuses.ts';

/** Registrations one client may send per hour: a person registers a few colleagues at most. */
export const REGISTER_LIMIT = { count: 20, windowMs: 3600_000 } as const;

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Upcoming events on the public calendar: published, listed, not yet ended. Never the meeting link. */
export async function upcomingEvents(ctx: Context, limit = 100): Promise<EventRow[]> {
  const rows = await repo.upcomingListed(ctx.db, ctx.clock.now().toISOString(), limit);
  return rows.map((e) => ({ ...e, meetingUrl: '' }));
}

export type EventPageData = { event: EventRow; seatsLeft: number };

/** A published (or cancelled) event as the public sees it, with the seats still free. Never the meeting link. */
export async function eventPage(ctx: Context, id: string): Promise<EventPageData | undefined> {
  const event = await repo.publicEvent(ctx.db, id);
  if (!event) return undefined;
  const taken = await repo.seatsTaken(ctx.db, id);
  return { event: { ...event, meetingUrl: '' }, seatsLeft: Math.max(0, event.capacity - taken) };
}

export type RegisterAnswer =
  | { page: 'form'; status: number; form: FormState; notice?: 'expired' | 'check' | 'tooMany' | 'closed'; retryAfterSeconds?: number }
  | { page: 'done'; status: 'registered' | 'waitlisted' };

export type RegisterInput = { form: FormResult<RegistrationForm>; tokenValid: boolean; locale: string; clientKey: string };

const kept = (values: FormValues): FormValues => {
  const { _csrf: _token, website: _robot, ...rest } = values;
  return rest;
};

/**
 * Registers a person, or puts them on the waitlist when every seat is taken. The arrival number
 * and the seat count are read inside one transaction that holds the event's row lock, so N
 * seats are never given to more than N people however many arrive at once.
 */
export async function register(ctx: Context, event: EventRow, input: RegisterInput): Promise<RegisterAnswer> {
  const values = kept(input.form.values);
  const again = (status: number, extra: { notice?: 'expired' | 'check' | 'tooMany' | 'closed'; retryAfterSeconds?: number } = {}, errors = {}): RegisterAnswer => ({ page: 'form', status, form: { values, errors }, ...extra });
  const decision = await ctx.rateLimiter.consume(input.clientKey, REGISTER_LIMIT.count, REGISTER_LIMIT.windowMs);
  if (!decision.allowed) return again(429, { notice: 'tooMany', retryAfterSeconds: decision.retryAfterSeconds });
  if (!input.tokenValid) return again(422, { notice: 'expired' });
  if (input.form.values.website) return again(422, { notice: 'check' });
  if (!input.form.ok) return again(422, {}, input.form.errors);
  if (event.status !== 'published' || new Date(event.startsAt) <= ctx.clock.now()) return again(409, { notice: 'closed' });
  const form = input.form.data;
  // The public view of the event carries no meeting link; the registrant's e-mail does.
  const full = (await repo.publicEvent(ctx.db, event.id)) ?? event;
  const settings = await ctx.settings.get();
  const now = ctx.clock.now().toISOString();
  const token = randomBytes(24).toString('base64url');
  const status = await ctx.db.transaction().execute(async (trx) => {
    const position = await repo.takePosition(trx, event.id);
    if (position === undefined) throw new Error('event vanished');
    const taken = await repo.seatsTaken(trx, event.id);
    const row: RegistrationRow = {
      id: newId(),
      eventId: event.id,
      position,
      status: taken < event.capacity ? 'registered' : 'waitlisted',
      name: form.name,
      email: form.email,
      organization: form.organization ?? '',
      accessibility: form.accessibility ?? '',
      consent: form.consent ? 1 : 0,
      locale: input.locale,
      cancelHash: hashOf(token),
      offerExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await repo.insertRegistration(trx, row);
    await ctx.audit(trx, { action: 'event_registration.create', targetType: 'event_registration', targetId: row.id, detail: { event: event.id, status: row.status } });
    const prefix = input.locale === ctx.catalogs.defaultLocale ? '' : `/${input.locale}`;
    const cancelLink = `${ctx.config.baseUrl}${prefix}/events/cancel/${token}`;
    await ctx.mailer.queue(trx, row.email, registrationEmail(ctx.catalogs, { locale: input.locale, officeName: settings.officeName, timeZone: settings.timeZone, event: full, name: row.name, status: row.status as 'registered' | 'waitlisted', cancelLink }), { bearer: true });
    return row.status as 'registered' | 'waitlisted';
  });
  return { page: 'done', status };
}

/** The registration behind a cancel link, if the link is real. */
export async function byCancelToken(ctx: Context, token: string): Promise<{ registration: RegistrationRow; event: EventRow } | undefined> {
  const registration = await repo.findByCancelHash(ctx.db, hashOf(token));
  if (!registration) return undefined;
  const event = await repo.publicEvent(ctx.db, registration.eventId);
  return event ? { registration, event } : undefined;
}

/** Cancels from the e-mail's link; a second press finds it cancelled already and changes nothing. */
export async function cancelByToken(ctx: Context, token: string): Promise<'cancelled' | 'already' | undefined> {
  const found = await byCancelToken(ctx, token);
  if (!found) return undefined;
  const { registration } = found;
  if (!canChange(registration.status, 'cancelled')) return 'already';
  const now = ctx.clock.now().toISOString();
  const changed = await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.changeStatus(trx, registration.id, registration.status, { status: 'cancelled', updatedAt: now, offerExpiresAt: null }))) return false;
    await ctx.audit(trx, { action: 'event_registration.status', targetType: 'event_registration', targetId: registration.id, detail: { from: registration.status, to: 'cancelled' } });
    return true;
  });
  return changed ? 'cancelled' : 'already';
}
