import type { Context } from '../../../core/context.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import type { FormResult } from '../../../core/http/forms.ts';
import type { JobDefinition } from '../../../core/jobs/queue.ts';
import { localePrefix } from '../../../core/i18n/locale.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import { offeredTopics, type Topic, topicLabel } from '../topics/service.ts';
import { confirmEmail } from '../emails/confirm.tsx';
import * as repo from './repo.ts';
import type { SubscribeForm } from './schema.ts';
import { CONFIRM_VALID_MS, confirmToken, parseToken, tokenMatches } from './tokens.ts';
import { currentWording, shownWording, type Wording } from './wording.ts';

/** Subscribe posts one client may make in an hour (an HMAC of its address is the key; the address is never kept). */
export const SUBSCRIBE_LIMIT = { count: 10, windowMs: 3600_000 } as const;
/** One address gets at most one confirmation e-mail in this long, however often it is typed. */
export const RESEND_AFTER_MS = 10 * 60_000;
/** Pending subscriptions untouched this long are deleted. */
export const PENDING_KEPT_MS = 30 * 24 * 3600_000;
/** The public form's name in consent evidence. */
export const SUBSCRIBE_FORM = 'subscribe-page';

export type SubscribePageData = { topics: Topic[]; wording: Wording };

/** What the subscribe page shows in `locale`: the topics offered and the consent wording, on record. */
export async function subscribePage(ctx: Context, locale: string): Promise<SubscribePageData> {
  const [topics, wording] = await Promise.all([offeredTopics(ctx.db), currentWording(ctx, locale)]);
  return { topics, wording };
}

export type SignupJob = JobDefinition<{ signupId: string }>;

export type SignupInput = { form: FormResult<SubscribeForm>; locale: string; clientKey: string; tokenValid: boolean; job: SignupJob };

export type SignupAnswer = { ok: true } | { ok: false; status: 422 | 429; form: FormState; retryAfterSeconds?: number; page: SubscribePageData };

/**
 * A subscribe post. The answer depends only on the form and the client's own limit, never on
 * whether the address is known: the post is put in an inbox with the same single write either
 * way, and a job looks the address up and decides what to send.
 */
export async function receiveSignup(ctx: Context, input: SignupInput): Promise<SignupAnswer> {
  const { form, locale } = input;
  const { _csrf: _token, ...values } = form.values;
  const back = async (status: 422 | 429, errors: FormState['errors'], retryAfterSeconds?: number): Promise<SignupAnswer> => ({
    ok: false,
    status,
    form: { values, errors },
    page: await subscribePage(ctx, locale),
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
  const decision = await ctx.rateLimiter.consume(input.clientKey, SUBSCRIBE_LIMIT.count, SUBSCRIBE_LIMIT.windowMs);
  if (!decision.allowed) return back(429, { _form: { key: 'mailing.subscribe.errors.tooMany', params: { count: Math.ceil(decision.retryAfterSeconds / 60) } } }, decision.retryAfterSeconds);
  if (!input.tokenValid) return back(422, { _form: { key: 'mailing.subscribe.errors.expired' } });
  if (!form.ok) return back(422, form.errors);
  const offered = new Set((await offeredTopics(ctx.db)).map((t) => t.key));
  const errors: FormState['errors'] = {};
  if (form.data.topics.some((key) => !offered.has(key))) errors.topics = { key: 'common.form.invalidChoice' };
  if (!ctx.catalogs.locales.includes(form.data.language)) errors.language = { key: 'common.form.invalidChoice' };
  if (Object.keys(errors).length > 0) return back(422, errors);
  const data = form.data;
  // Before the transaction: the wording may be stored and the settings read, each through the
  // app's own handle, which on SQLite would wait for this transaction to end.
  const wordingHash = await shownWording(ctx, locale, data.wording);
  await ctx.db.transaction().execute(async (trx) => {
    const id = newId();
    const topics = JSON.stringify([...new Set(data.topics)].sort());
    await repo.insertSignup(trx, { id, email: data.email, name: data.name ?? '', locale: data.language, topics, wordingHash, form: SUBSCRIBE_FORM, createdAt: ctx.clock.now().toISOString() });
    await ctx.jobs.enqueue(trx, input.job, { signupId: id });
  });
  return { ok: true };
}

/**
 * Reads one signup: puts the address on the list as pending if it is new, records the request
 * and queues its confirmation e-mail, unless one went to this address in the last ten minutes.
 * Safe to run twice: the signup is taken out of the inbox in the same transaction.
 */
export async function processSignup(ctx: Context, signupId: string): Promise<void> {
  // Read before the transaction: the settings store has its own handle (see receiveSignup).
  const settings = await ctx.settings.get();
  await ctx.db.transaction().execute(async (trx) => {
    const signup = await repo.takeSignup(trx, signupId);
    if (!signup) return;
    const now = ctx.clock.now();
    const row = await repo.ensureSubscriber(trx, { id: newId(), email: signup.email, name: '', locale: signup.locale, createdAt: now.toISOString(), preferencesNonce: newId() });
    const nonce = newId();
    const recorded = await repo.recordRequest(
      trx,
      row.id,
      { topics: signup.topics, locale: signup.locale, name: signup.name, wording: signup.wordingHash, form: signup.form, nonce, sentAt: now.toISOString() },
      new Date(now.getTime() - RESEND_AFTER_MS).toISOString(),
    );
    if (!recorded) return;
    const topics = await offeredTopics(trx);
    const chosen = JSON.parse(signup.topics) as string[];
    const labels = topics.filter((t) => chosen.includes(t.key)).map((t) => topicLabel(t, signup.locale));
    const token = confirmToken(ctx.secret, row.id, nonce, now.getTime() + CONFIRM_VALID_MS);
    const link = `${ctx.config.baseUrl}${localePrefix(signup.locale, ctx.catalogs.defaultLocale)}/subscribe/confirm/${token}`;
    const email = confirmEmail(ctx.catalogs, { locale: signup.locale, officeName: settings.officeName, topics: labels, link, alreadySubscribed: row.status === 'confirmed' });
    // Not queued as `bearer`: the accounts module's sweep erases every bearer body that lacks its
    // own kind of link, which would empty this one before it is sent. The link only confirms a
    // subscription the address asked for, and stops working once used, replaced or 7 days old.
    await ctx.mailer.queue(trx, signup.email, email);
  });
}

export type PendingConfirmation = { topics: string[]; alreadySubscribed: boolean };

/** What a confirmation link would confirm, or undefined for a link that is wrong, used, replaced or expired. */
export async function pendingConfirmation(ctx: Context, token: string): Promise<PendingConfirmation | undefined> {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const row = await repo.findSubscriber(ctx.db, parsed.subscriberId);
  if (!row || !tokenMatches(ctx.secret, parsed, row.requestNonce, ctx.clock.now().getTime())) return undefined;
  return { topics: JSON.parse(row.requestTopics ?? '[]') as string[], alreadySubscribed: row.status === 'confirmed' };
}

/**
 * Follows a confirmation link: the subscription (or its new topics) takes effect and the
 * consent is recorded with the wording shown, the form, the topics and the time. Once only:
 * a second use, even at the same moment, changes nothing and answers false.
 */
export async function confirmSubscription(ctx: Context, token: string): Promise<boolean> {
  const parsed = parseToken(token);
  if (!parsed) return false;
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.findSubscriber(trx, parsed.subscriberId);
    if (!row || !tokenMatches(ctx.secret, parsed, row.requestNonce, ctx.clock.now().getTime())) return false;
    const now = ctx.clock.now().toISOString();
    if (!(await repo.applyRequest(trx, row, row.requestNonce!, now))) return false;
    const offered = new Set((await offeredTopics(trx)).map((t) => t.key));
    // A topic retired between the request and the click is not subscribed to.
    const topics = (JSON.parse(row.requestTopics ?? '[]') as string[]).filter((key) => offered.has(key));
    await repo.replaceTopics(trx, row.id, topics);
    await repo.insertConsent(trx, {
      id: newId(),
      subscriberId: row.id,
      givenAt: now,
      form: row.requestForm ?? SUBSCRIBE_FORM,
      wordingHash: row.requestWording!,
      topics: JSON.stringify(topics),
      locale: row.requestLocale ?? row.locale,
    });
    return true;
  });
}

/** Deletes pending subscriptions untouched for 30 days, forgets requests whose links expired and clears finished signup jobs. */
export async function purgePending(ctx: Context): Promise<number> {
  const now = ctx.clock.now().getTime();
  const deleted = await repo.deletePending(ctx.db, new Date(now - PENDING_KEPT_MS).toISOString());
  await repo.clearExpiredRequests(ctx.db, new Date(now - CONFIRM_VALID_MS).toISOString());
  // One finished job per subscribe post would otherwise pile up; a day is enough to look into one.
  await ctx.jobs.deleteFinished('mailing.signup', new Date(now - 24 * 3600_000));
  return deleted;
}
