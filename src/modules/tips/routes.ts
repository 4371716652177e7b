import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { contextFor, PUBLIC } from '../../core/context.ts';
import { hmac, newId } from '../../core/crypto/server-secret.ts';
import type { FormErrors } from '../../core/http/forms.ts';
import { limitKeyOf } from '../../core/http/rate-limiter.ts';
import { viaOnion } from '../../core/http/security.ts';
import { localizedRoute } from '../../core/http/site.ts';
import type { AppServices } from '../../core/module.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { chosenFiles, FILES_FIELD, MAX_FILES } from './attachments.ts';
import { parseReceipt } from './crypto.ts';
import { conversation, openByReceipt, type OpenedTip, ReceiptThrottle } from './follow-up.service.ts';
import type { ReceiptKeys } from './receipt-keys.ts';
import { receiptFormSchema, tipFormSchema, tipsterMessageSchema } from './schema.ts';
import { tipLineOpen } from './submit.service.ts';
import { keptValues, receiveTipForm, receiveTipsterMessage } from './tip-form.service.ts';
import { ConversationPage, FollowUpPage } from './views/follow-up.tsx';
import { AlreadyReceivedPage, ReceiptPage } from './views/receipt-page.tsx';
import { TipFormPage } from './views/tip-form.tsx';

export { SUBMIT_LIMIT } from './tip-form.service.ts';

/** Every tip-line route: confidential (no error detail logged), no cookie, never cached. */
export function registerTipRoutes(app: FastifyInstance, services: AppServices, receipts: ReceiptKeys): void {
  // The tip line acts as the public and knows nothing of the client: no address, agent or exact time.
  const ctx = contextFor(services, PUBLIC);
  const throttle = new ReceiptThrottle(ctx);
  services.jobs.register(throttle.alertJob);
  const submitKey = (request: FastifyRequest) => `tips:submit:${hmac(ctx.secret, 'tips.submit', limitKeyOf(request.ip))}`;
  // Offered on the public site; over the onion service the tipster is already there.
  const onionFor = (request: FastifyRequest) => (viaOnion(request, services.config.onionUrl) ? undefined : services.config.onionUrl);

  localizedRoute(app, ctx.catalogs, {
    method: 'GET',
    path: '/tip',
    confidential: true,
    formToken: 'tip',
    handler: async (request, reply) => reply.page(h(TipFormPage, { form: emptyForm, open: await tipLineOpen(ctx), submissionId: newId(), onionUrl: onionFor(request) })),
  });

  localizedRoute(app, services, {
    method: 'POST',
    path: '/tip',
    confidential: true,
    formToken: 'tip',
    formTokenFailure: 'handle',
    upload: { maxFiles: MAX_FILES },
    body: tipFormSchema,
    handler: async ({ form, ctx, ...upload }, request, reply) => {
      const input = { form, upload, tokenValid: request.formTokenValid, language: request.locale, clientKey: submitKey(request) };
      const answer = await receiveTipForm(ctx, receipts, input);
      if (answer.page === 'duplicate') return reply.page(h(AlreadyReceivedPage, {}));
      // 200, not a redirect: the code must never travel in a URL, and it is shown only here.
      if (answer.page === 'receipt') return reply.page(h(ReceiptPage, { receipt: answer.receipt, urgent: answer.urgent }));
      if (answer.failure) {
        // Logged like any confidential route's error: its type and code, never its message.
        const { name, code } = answer.failure as { name?: string; code?: string };
        request.log.error({ errType: name, errCode: code, route: request.routeOptions.url }, 'tip not stored');
      }
      if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
      const retryMinutes = answer.retryAfterSeconds ? { retryMinutes: Math.ceil(answer.retryAfterSeconds / 60) } : {};
      const notice = answer.notice ? { notice: answer.notice } : {};
      return reply.page(h(TipFormPage, { form: answer.form, open: true, submissionId: answer.submissionId, onionUrl: onionFor(request), ...notice, ...retryMinutes }), answer.status);
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
  async function openOrRefuse(request: FastifyRequest, reply: FastifyReply, typed: unknown, sending?: { message: string; filesChosen: boolean }): Promise<(OpenedTip & { receipt: string }) | undefined> {
    const counted = await throttle.attempt(request.ip);
    if (!counted.allowed) {
      reply.header('retry-after', String(counted.waitSeconds));
      // Put off, not checked: what was typed goes back in the form so the tipster only presses
      // again. The code only for a short wait: it should not sit on the screen for an hour.
      const short = counted.reason === 'client';
      const values = { receipt: short && typeof typed === 'string' ? typed.slice(0, 40) : '', ...(sending ? { message: sending.message } : {}) };
      const errors: FormErrors = sending?.filesChosen ? { [FILES_FIELD]: { key: 'tips.errors.filesAgain' } } : {};
      const wait = short ? { waitSeconds: counted.waitSeconds, keepCode: true } : { siteBusySeconds: counted.waitSeconds };
      reply.page(h(FollowUpPage, { form: { values, errors }, withMessage: sending !== undefined, ...wait }), 429);
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

  localizedRoute(app, services, {
    method: 'POST',
    path: '/tip/follow-up',
    confidential: true,
    formToken: 'tip-follow-up',
    formTokenFailure: 'handle',
    body: receiptFormSchema,
    handler: async ({ form, ctx }, request, reply) => {
      if (!request.formTokenValid) return reply.page(h(FollowUpPage, { form: emptyForm, expired: true }), 422);
      const opened = await openOrRefuse(request, reply, form.ok ? form.data.receipt : form.values.receipt);
      if (!opened) return reply;
      try {
        const view = await conversation(ctx, opened);
        return reply.page(h(ConversationPage, { receipt: opened.receipt, view, form: emptyForm }));
      } finally {
        opened.tipKey.fill(0);
      }
    },
  });

  localizedRoute(app, services, {
    method: 'POST',
    path: '/tip/follow-up/message',
    confidential: true,
    formToken: 'tip-follow-up',
    formTokenFailure: 'handle',
    upload: { maxFiles: MAX_FILES },
    body: tipsterMessageSchema,
    handler: async ({ form, ctx, ...upload }, request, reply) => {
      const kept = keptValues(form.values);
      const sending = { message: typeof kept.message === 'string' ? kept.message : '', filesChosen: chosenFiles(upload) > 0 };
      const opened = await openOrRefuse(request, reply, kept.receipt, sending);
      if (!opened) return reply;
      try {
        const answer = await receiveTipsterMessage(ctx, opened, { form, upload, tokenValid: request.formTokenValid });
        const view = await conversation(ctx, opened);
        const { status, ...props } = answer;
        return reply.page(h(ConversationPage, { receipt: opened.receipt, view, ...props }), status);
      } finally {
        opened.tipKey.fill(0);
      }
    },
  });
}
