import type { Context } from '../../../core/context.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import { createTranslator } from '../../../core/i18n/catalog.ts';
import { instantFromZone } from '../../../core/i18n/time.ts';
import { accountsWithPermission } from '../../accounts/index.ts';
import * as eventsRepo from '../events/repo.ts';
import type { EventRow, RequestStatus, TrainingRequestNoteRow, TrainingRequestRow } from '../tables.ts';
import { declinedEmail } from '../emails/requests.tsx';
import * as repo from './repo.ts';
import type { QueueQuery, RequestRefusal } from './schema.ts';
import { businessDaysBefore } from './stale.ts';
import { canMove, STALE_BUSINESS_DAYS, WAITING_STATUSES } from './workflow.ts';

export type Trainer = { id: string; displayName: string };

/** Who may be assigned to give a training: active staff of the outreach team. */
export async function trainers(ctx: Context): Promise<Trainer[]> {
  const rows = await accountsWithPermission(ctx, 'events.requests');
  return rows.map((r) => ({ id: r.id, displayName: r.displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The instant at or before which a waiting request counts as untouched too long. */
export async function staleCutoff(ctx: Context): Promise<string> {
  const { timeZone } = await ctx.settings.get();
  return businessDaysBefore(ctx.clock.now(), STALE_BUSINESS_DAYS, timeZone).toISOString();
}

export async function queue(ctx: Context, query: QueueQuery) {
  const cutoff = await staleCutoff(ctx);
  const statuses = query.status === 'all' ? undefined : query.status === 'open' ? (['submitted', 'triaged', 'scheduled', 'delivered'] as const) : [query.status];
  const filter = query.stale ? { statuses: WAITING_STATUSES, touchedBefore: cutoff } : { statuses };
  return { rows: await repo.listRequests(ctx.db, filter), cutoff };
}

/** The console home's figures: new requests, and waiting ones nobody has touched for five business days. */
export async function queueCounts(ctx: Context): Promise<{ fresh: number; stale: number }> {
  const touchedBefore = await staleCutoff(ctx);
  const [fresh, stale] = await Promise.all([repo.countRequests(ctx.db, { statuses: ['submitted'] }), repo.countRequests(ctx.db, { statuses: WAITING_STATUSES, touchedBefore })]);
  return { fresh, stale };
}

export type RequestView = { request: TrainingRequestRow; notes: TrainingRequestNoteRow[]; trainers: Trainer[]; stale: boolean };

export async function requestView(ctx: Context, id: string): Promise<RequestView | undefined> {
  const request = await repo.findRequest(ctx.db, id);
  if (!request) return undefined;
  const [notes, list, cutoff] = await Promise.all([repo.notesOf(ctx.db, id), trainers(ctx), staleCutoff(ctx)]);
  return { request, notes, trainers: list, stale: WAITING_STATUSES.includes(request.status) && request.touchedAt <= cutoff };
}

type Outcome = { ok: true } | { ok: false; refusal: RequestRefusal } | undefined;

/**
 * Moves a request along the pipeline. Declining needs a reason, which is mailed to the
 * requester in the language they wrote in; the move, its audit row and the mail are one transaction.
 */
export async function moveRequest(ctx: Context, id: string, to: RequestStatus, reason: string | undefined): Promise<Outcome> {
  const request = await repo.findRequest(ctx.db, id);
  if (!request) return undefined;
  if (!canMove(request.status, to)) return { ok: false, refusal: 'transition' };
  if (to === 'declined' && !reason) return { ok: false, refusal: 'reason' };
  const settings = await ctx.settings.get();
  const now = ctx.clock.now().toISOString();
  const moved = await ctx.db.transaction().execute(async (trx) => {
    const declineReason = to === 'declined' ? { declineReason: reason } : {};
    if (!(await repo.moveRequest(trx, id, request.status, { status: to, touchedAt: now, ...declineReason }))) return false;
    await ctx.audit(trx, { action: 'training_request.status', targetType: 'training_request', targetId: id, detail: { from: request.status, to } });
    if (to === 'declined') {
      const email = declinedEmail(ctx.catalogs, { locale: request.locale, officeName: settings.officeName, contactName: request.contactName, organization: request.organization, reference: request.reference, reason: reason! });
      await ctx.mailer.queue(trx, request.contactEmail, email);
    }
    return true;
  });
  // Someone else moved it first: what this person saw is no longer where the request is.
  return moved ? { ok: true } : { ok: false, refusal: 'transition' };
}

/** Assigns a trainer (an active member of the outreach team) or, with '', leaves it unassigned. */
export async function assignTrainer(ctx: Context, id: string, trainerId: string): Promise<Outcome> {
  const request = await repo.findRequest(ctx.db, id);
  if (!request) return undefined;
  if (trainerId && !(await trainers(ctx)).some((t) => t.id === trainerId)) return { ok: false, refusal: 'trainer' };
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateRequest(trx, id, { trainerId: trainerId || null, touchedAt: now });
    await ctx.audit(trx, { action: 'training_request.assign', targetType: 'training_request', targetId: id, detail: { trainer: trainerId || null } });
  });
  return { ok: true };
}

export async function addNote(ctx: Context, id: string, author: { id: string; label: string }, body: string | undefined): Promise<Outcome> {
  const request = await repo.findRequest(ctx.db, id);
  if (!request) return undefined;
  if (!body) return { ok: false, refusal: 'note' };
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertNote(trx, { id: newId(), requestId: id, authorId: author.id, authorLabel: author.label, body, createdAt: now });
    await repo.updateRequest(trx, id, { touchedAt: now });
    await ctx.audit(trx, { action: 'training_request.note', targetType: 'training_request', targetId: id });
  });
  return { ok: true };
}

/** Where a converted training starts: the first preferred day at 10:00 in the office's zone, else a week from now. */
function firstStart(request: TrainingRequestRow, now: Date, timeZone: string): Date {
  const [first] = JSON.parse(request.preferredDates) as string[];
  const preferred = first ? instantFromZone(`${first}T10:00`, timeZone) : undefined;
  return preferred && preferred > now ? preferred : new Date(now.getTime() + 7 * 86_400_000);
}

/**
 * Makes the request's training an unlisted, open event filled in from the request: the host
 * shares its link with their audience. A request converts once; a second try is refused.
 */
export async function convertToEvent(ctx: Context, id: string): Promise<{ ok: true; eventId: string } | { ok: false; refusal: RequestRefusal } | undefined> {
  const request = await repo.findRequest(ctx.db, id);
  if (!request) return undefined;
  if (request.eventId || request.status === 'declined' || request.status === 'closed') return { ok: false, refusal: 'converted' };
  const settings = await ctx.settings.get();
  const now = ctx.clock.now();
  const starts = firstStart(request, now, settings.timeZone);
  const t = createTranslator(ctx.catalogs, request.locale);
  const event: EventRow = {
    id: newId(),
    title: t('events.convert.title', { organization: request.organization }),
    description: t('events.convert.description', { organization: request.organization }),
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 90 * 60_000).toISOString(),
    location: request.format === 'online' ? '' : request.city,
    online: request.format === 'online' ? 1 : 0,
    meetingUrl: '',
    language: request.language === 'es' ? 'es' : 'en',
    capacity: request.audienceSize,
    listed: 0,
    status: 'published',
    sequence: 0,
    lastPosition: 0,
    requestId: request.id,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const converted = await ctx.db.transaction().execute(async (trx) => {
    await eventsRepo.insertEvent(trx, event);
    if (!(await repo.claimConversion(trx, id, event.id, now.toISOString()))) throw new ConversionRaced();
    await ctx.audit(trx, { action: 'training_request.convert', targetType: 'training_request', targetId: id, detail: { event: event.id } });
    return true;
  }).catch((error: unknown) => {
    if (error instanceof ConversionRaced) return false;
    throw error;
  });
  return converted ? { ok: true, eventId: event.id } : { ok: false, refusal: 'converted' };
}

/** Rolls the event back when another conversion of the same request won. */
class ConversionRaced extends Error {}
