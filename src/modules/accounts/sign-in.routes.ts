import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import QRCode from 'qrcode';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { maskCsrf } from '../../core/auth/csrf.ts';
import { hashSessionId, type NewSession } from '../../core/auth/sessions.ts';
import type { AppServices } from '../../core/module.ts';
import { AppError } from '../../core/http/errors.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { AccountInputError } from './accounts.service.ts';
import { acceptInvitation, openInvitation } from './invitations.service.ts';
import { codeSchema, enrolTotpSchema, nextQuery, safeNext, setPasswordSchema, signInQuery, signInSchema, tokenParams } from './schema.ts';
import { confirmTotp, owesExistingSecondFactor, pendingTotp, secondFactorsOf, verifySecondFactor } from './second-factor.service.ts';
import { signOut, startSession } from './sessions.service.ts';
import { signIn } from './sign-in.service.ts';
import { EnrolTotpPage, InvitationGone, InvitationPage, RecoveryCodesPage, SecondFactorPage, SignInPage } from './views/auth-pages.tsx';

export function registerSignInRoutes(app: FastifyInstance, s: AppServices): void {
  const { sessions } = s;
  const begin = (reply: FastifyReply, started: { session: NewSession; location: string }) => {
    sessions.setCookie(reply, started.session.id);
    return reply.redirect(started.location, 303);
  };
  const previousIdHash = (cookie: string | undefined) => (cookie ? hashSessionId(cookie) : undefined);

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/sign-in',
    access: 'anonymous',
    query: signInQuery,
    handler: async ({ query, staff }, _request, reply) => {
      if (staff?.session.secondFactorAt) return reply.redirect(safeNext(query.next), 303);
      return reply.page(h(SignInPage, { form: emptyForm, next: safeNext(query.next), notice: query.notice }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/sign-in',
    access: 'anonymous',
    body: signInSchema,
    handler: async ({ form, ctx }, request, reply) => {
      const next = safeNext(form.values.next);
      if (!form.ok) return reply.page(h(SignInPage, { form, next }), 422);
      const result = await signIn(ctx, { email: form.data.email, password: form.data.password, clientAddress: request.ip });
      if (result.kind === 'locked') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        return reply.page(h(SignInPage, { form: { values: { email: form.values.email ?? '' }, errors: {} }, next, lockedMinutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }), 429);
      }
      if (result.kind === 'invalid') {
        return reply.page(h(SignInPage, { form: { values: { email: form.values.email ?? '' }, errors: { _form: { key: 'accounts.errors.invalidCredentials' } } }, next }), 422);
      }
      const started = await startSession(ctx, { accountId: result.account.id, keyPair: result.keyPair, userAgent: request.headers['user-agent'], previousIdHash: previousIdHash(sessions.readCookie(request)), next });
      return begin(reply, started);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/sign-in/second-factor',
    access: 'second_factor',
    handler: async ({ staff, ctx }, _request, reply) => {
      if (staff.session.secondFactorAt) return reply.redirect('/console', 303);
      const factors = await secondFactorsOf(ctx, staff);
      if (!factors.totp && factors.passkeys === 0) return reply.redirect('/console/account/two-factor/setup', 303);
      return reply.page(h(SecondFactorPage, { form: emptyForm, hasTotp: factors.totp, hasPasskey: factors.passkeys > 0 }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/sign-in/second-factor',
    access: 'second_factor',
    query: nextQuery,
    body: codeSchema,
    handler: async ({ query, form, staff, ctx }, request, reply) => {
      const factors = await secondFactorsOf(ctx, staff);
      const page = { hasTotp: factors.totp, hasPasskey: factors.passkeys > 0 };
      if (!form.ok) return reply.page(h(SecondFactorPage, { form: { values: {}, errors: form.errors }, ...page }), 422);
      const result = await verifySecondFactor(ctx, staff, form.data.code, request.headers['user-agent']);
      if (result.kind === 'ended') {
        sessions.clearCookie(reply);
        return reply.redirect('/console/sign-in?notice=secondFactorEnded', 303);
      }
      if (result.kind === 'invalid') {
        return reply.page(h(SecondFactorPage, { form: { values: {}, errors: { code: { key: 'accounts.errors.codeWrong' } } }, ...page, attemptsLeft: result.attemptsLeft }), 422);
      }
      sessions.setCookie(reply, result.session.id);
      return reply.redirect(safeNext(query.next), 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/sign-out',
    access: 'second_factor',
    handler: async ({ staff, ctx }, _request, reply) => {
      await signOut(ctx, staff);
      sessions.clearCookie(reply);
      return reply.redirect('/console/sign-in?notice=signedOut', 303);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/account/two-factor/setup',
    access: 'second_factor',
    handler: async ({ staff, ctx }, _request, reply) => {
      if (await owesExistingSecondFactor(ctx, staff)) return reply.redirect('/console/sign-in/second-factor', 303);
      const { secret, uri } = await pendingTotp(ctx, staff);
      return reply.page(h(EnrolTotpPage, { form: emptyForm, secret, uri, offerPasskey: !staff.session.secondFactorAt, askPassword: !!staff.session.secondFactorAt }));
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/account/two-factor/qr.svg',
    access: 'second_factor',
    handler: async ({ staff, ctx }, _request, reply) => {
      if (await owesExistingSecondFactor(ctx, staff)) throw new AppError('not_found');
      const { uri } = await pendingTotp(ctx, staff);
      const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/two-factor/setup',
    access: 'second_factor',
    body: enrolTotpSchema,
    handler: async ({ form, staff, ctx }, request, reply) => {
      if (await owesExistingSecondFactor(ctx, staff)) return reply.redirect('/console/sign-in/second-factor', 303);
      const confirmed = form.ok ? await confirmTotp(ctx, staff, form.data, request.headers['user-agent']) : undefined;
      if (!confirmed || confirmed === 'password_wrong') {
        const { secret, uri } = await pendingTotp(ctx, staff);
        const [field, key] = confirmed === 'password_wrong' ? ['password', 'accounts.errors.currentPasswordWrong'] : ['code', 'accounts.errors.codeWrong'];
        return reply.page(h(EnrolTotpPage, { form: { values: {}, errors: { [field]: { key } } }, secret, uri, offerPasskey: !staff.session.secondFactorAt, askPassword: !!staff.session.secondFactorAt }), 422);
      }
      if (confirmed.session) {
        // A first enrolment completes the sign-in: the page below already belongs to the new session.
        sessions.setCookie(reply, confirmed.session.id);
        request.csrfToken = maskCsrf(confirmed.session.row.csrfSecret);
      }
      // Recovery codes are shown in this answer only and never stored in readable form.
      return reply.page(h(RecoveryCodesPage, { codes: confirmed.codes }));
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/invitations/:token',
    access: 'anonymous',
    params: tokenParams,
    handler: async ({ params, ctx }, _request, reply) => {
      const invitation = await openInvitation(ctx, params.token);
      if (!invitation) return reply.page(h(InvitationGone, {}), 404);
      return reply.page(h(InvitationPage, { form: emptyForm, kind: invitation.kind, email: invitation.email, displayName: invitation.displayName, token: params.token }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/invitations/:token',
    access: 'anonymous',
    params: tokenParams,
    body: setPasswordSchema,
    handler: async ({ params, form, ctx }, request, reply) => {
      const invitation = await openInvitation(ctx, params.token);
      if (!invitation) return reply.page(h(InvitationGone, {}), 404);
      const props = { kind: invitation.kind, email: invitation.email, displayName: invitation.displayName, token: params.token };
      if (!form.ok) return reply.page(h(InvitationPage, { ...props, form: { values: {}, errors: form.errors } }), 422);
      try {
        const { account, keyPair } = await acceptInvitation(ctx, params.token, form.data.password);
        const started = await startSession(ctx, { accountId: account.id, keyPair, userAgent: request.headers['user-agent'], previousIdHash: previousIdHash(sessions.readCookie(request)), next: '/console' });
        return begin(reply, started);
      } catch (error) {
        if (error instanceof AccountInputError) {
          return reply.page(h(InvitationPage, { ...props, form: { values: {}, errors: { [error.field]: { key: error.key } } } }), 422);
        }
        throw error;
      }
    },
  });
}
