import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Context } from '../../core/context.ts';
import { hmac, newId } from '../../core/crypto/server-secret.ts';
import { verifyFormToken } from '../../core/http/form-token.ts';
import { type FormErrors, type FormValues, formValues, parseForm } from '../../core/http/forms.ts';
import { limitKeyOf } from '../../core/http/rate-limiter.ts';
import { localizedRoute } from '../../core/http/site.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { cleanFiles, readSubmission, type Submission } from './attachments.ts';
import { parseReceipt } from './crypto.ts';
import { addTipsterMessage, conversation, openByReceipt, type OpenedTip, ReceiptThrottle } from './follow-up.service.ts';
import type { ReceiptKeys } from './receipt-keys.ts';
import { receiptFormSchema, tipFormSchema, tipsterMessageSchema } from './schema.ts';
import { submitTip, tipLineOpen } from './submit.service.ts';
import { ConversationPage, FollowUpPage } from './views/follow-up.tsx';
import { AlreadyReceivedPage, ReceiptPage } from './views/receipt-page.tsx';
import { type TipFormNotice, TipFormPage } from './views/tip-form.tsx';

/**
 * Tips one client may send per hour. One person sends one, perhaps two; a burst of a hundred
 * is a robot, and waits. The key is an HMAC of the address, which is never stored.
 */
export const SUBMIT_LIMIT = { count: 20, windowMs: 3600_000 } as const;

const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** What comes back into the form: everything typed, but never the token or the robot field. */
function keptValues(values: FormValues): FormValues {
  const { _csrf, website, ...rest } = values;
  return rest;
}

/** Every tip-line route: confidential (no error detail logged), no cookie, never cached. */
export function registerTipRoutes(app: FastifyInstance, ctx: Context, receipts: ReceiptKeys): void {
  const throttle = new ReceiptThrottle(ctx);
  const submitKey = (request: FastifyRequest) => `tips:submit:${hmac(ctx.secret, 'tips.submit', limitKeyOf(request.ip))}`;

  localizedRoute(app, ctx.catalogs, {
    method: 'GET',
    path: '/tip',
    confidential: true,
    formToken: 'tip',
    handler: async (_request, reply) => reply.page(h(TipFormPage, { form: emptyForm, open: await tipLineOpen(ctx), submissionId: newId() })),
  });

  localizedRoute(app, ctx.catalogs, {
    method: 'POST',
    path: '/tip',
    confidential: true,
    formToken: 'tip',
    formTokenFailure: 'handle',
    handler: async (request, reply) => {
      const submission = await readSubmission(request);
      const values = keptValues(submission.values);
      const sentId = values.submissionId;
      const submissionId = typeof sentId === 'string' && SUBMISSION_ID.test(sentId) ? sentId : newId();
      const errors: FormErrors = {};
      const render = (status: number, extra: { notice?: TipFormNotice; retryMinutes?: number } = {}) =>
        reply.page(h(TipFormPage, { form: { values, errors }, open: true, submissionId, ...extra }), status);

      const decision = await ctx.rateLimiter.consume(submitKey(request), SUBMIT_LIMIT.count, SUBMIT_LIMIT.windowMs);
      if (!decision.allowed) {
        reply.header('retry-after', String(decision.retryAfterSeconds));
        return render(429, { notice: 'tooMany', retryMinutes: Math.ceil(decision.retryAfterSeconds / 60) });
      }
      // Multipart fields arrive after the core's token hook has run, so the token is checked here.
      if (!verifyFormToken(ctx.secret, 'tip', submission.values._csrf, ctx.clock.now())) return render(422, { notice: 'expired' });
      if (submission.values.website) return render(422, { notice: 'check' });

      const parsed = parseForm(tipFormSchema, values);
      if (!parsed.ok) Object.assign(errors, parsed.errors);
      if (submission.truncated) errors._form = { key: 'tips.errors.tooLong' };
      if (submission.fileError) errors.files = { key: submission.fileError.key, params: { name: submission.fileError.name ?? '' } };
      else if (submission.files.length && Object.keys(errors).length) errors.files = { key: 'tips.errors.filesAgain' };
      if (!parsed.ok || Object.keys(errors).length) return render(submission.fileError?.status ?? 422);

      const cleaned = await cleanFiles(submission.files);
      if (cleaned.error) {
        errors.files = { key: cleaned.error.key, params: { name: cleaned.error.name } };
        return render(422);
      }
      let result: Awaited<ReturnType<typeof submitTip>>;
      try {
        result = await submitTip(ctx, receipts, { form: parsed.data, language: request.locale, files: cleaned.clean });
      } catch (error) {
        // Our failure must not cost the person what they typed: the form comes back filled.
        // Logged like any confidential route's error: its type and code, never its message.
        const { name, code } = error as { name?: string; code?: string };
        request.log.error({ errType: name, errCode: code, route: request.routeOptions.url }, 'tip not stored');
        if (submission.files.length) errors.files = { key: 'tips.errors.filesAgain' };
        return render(500, { notice: 'serverError' });
      }
      if (result.outcome === 'closed') return render(503, { notice: 'closed' });
      if (result.outcome === 'duplicate') return reply.page(h(AlreadyReceivedPage, {}));
      // 200, not a redirect: the code must never travel in a URL, and it is shown only here.
      return reply.page(h(ReceiptPage, { receipt: result.receipt, urgent: result.urgent }));
    },
  });

  localizedRoute(app, ctx.catalogs, {
    method: 'GET',
    path: '/tip/follow-up',
    confidential: true,
    formToken: 'tip-follow-up',
    handler: async (_request, reply) => reply.page(h(FollowUpPage, { form: emptyForm })),
  });

  /**
   * The tip behind a typed code, and the code as digits, counting wrong codes. Undefined when
   * the answer (wait, or a wrong code) has been sent. (A reply is never returned: it is a
   * thenable, so awaiting it would wait for the response instead.)
   */
  async function openOrRefuse(request: FastifyRequest, reply: FastifyReply, typed: unknown): Promise<(OpenedTip & { receipt: string }) | undefined> {
    const counted = await throttle.attempt(request.ip);
    if (!counted.allowed) {
      reply.header('retry-after', String(counted.waitSeconds));
      reply.page(h(FollowUpPage, { form: emptyForm, waitSeconds: counted.waitSeconds }), 429);
      return undefined;
    }
    const receipt = parseReceipt(typed);
    if (!receipt) {
      await throttle.notAGuess(request.ip, counted);
      const key = typeof typed === 'string' && typed.trim() ? 'tips.errors.receiptFormat' : 'tips.errors.receiptMissing';
      reply.page(h(FollowUpPage, { form: { values: {}, errors: { receipt: { key } } } }), 422);
      return undefined;
    }
    const opened = await openByReceipt(ctx, receipts, receipt);
    if (!opened) {
      reply.page(h(FollowUpPage, { form: { values: {}, errors: { receipt: { key: 'tips.errors.receiptWrong' } } }, waitSeconds: counted.waitSeconds }), 422);
      return undefined;
    }
    await throttle.notAGuess(request.ip, counted);
    return { ...opened, receipt };
  }

  localizedRoute(app, ctx.catalogs, {
    method: 'POST',
    path: '/tip/follow-up',
    confidential: true,
    formToken: 'tip-follow-up',
    formTokenFailure: 'handle',
    handler: async (request, reply) => {
      const values = formValues(request.body);
      if (!request.formTokenValid) return reply.page(h(FollowUpPage, { form: emptyForm, expired: true }), 422);
      const parsed = parseForm(receiptFormSchema, values);
      const opened = await openOrRefuse(request, reply, parsed.ok ? parsed.data.receipt : values.receipt);
      if (!opened) return reply;
      try {
        const view = await conversation(ctx, opened);
        return reply.page(h(ConversationPage, { receipt: opened.receipt, view, form: emptyForm }));
      } finally {
        opened.tipKey.fill(0);
      }
    },
  });

  localizedRoute(app, ctx.catalogs, {
    method: 'POST',
    path: '/tip/follow-up/message',
    confidential: true,
    formToken: 'tip-follow-up',
    formTokenFailure: 'handle',
    handler: async (request, reply) => {
      const submission: Submission = await readSubmission(request);
      const values = keptValues(submission.values);
      const opened = await openOrRefuse(request, reply, values.receipt);
      if (!opened) return reply;
      const { receipt } = opened;
      try {
        const errors: FormErrors = {};
        const render = async (status: number, extra: { sent?: boolean; expired?: boolean } = {}) =>
          reply.page(h(ConversationPage, { receipt, view: await conversation(ctx, opened), form: { values: extra.sent ? {} : values, errors }, ...extra }), status);
        if (!verifyFormToken(ctx.secret, 'tip-follow-up', submission.values._csrf, ctx.clock.now())) return await render(422, { expired: true });
        const parsed = parseForm(tipsterMessageSchema, values);
        if (!parsed.ok) Object.assign(errors, parsed.errors);
        if (submission.truncated) errors._form = { key: 'tips.errors.tooLong' };
        if (submission.fileError) errors.files = { key: submission.fileError.key, params: { name: submission.fileError.name ?? '' } };
        else if (submission.files.length && Object.keys(errors).length) errors.files = { key: 'tips.errors.filesAgain' };
        if (!parsed.ok || Object.keys(errors).length) return await render(submission.fileError?.status ?? 422);
        const cleaned = await cleanFiles(submission.files);
        if (cleaned.error) {
          errors.files = { key: cleaned.error.key, params: { name: cleaned.error.name } };
          return await render(422);
        }
        await addTipsterMessage(ctx, opened, parsed.data.message, cleaned.clean);
        return await render(200, { sent: true });
      } finally {
        opened.tipKey.fill(0);
      }
    },
  });
}
