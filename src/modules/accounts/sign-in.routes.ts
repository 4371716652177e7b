import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import QRCode from 'qrcode';
import type { AppServices } from '../../core/module.ts';
import { AppError } from '../../core/http/errors.ts';
import { parseForm } from '../../core/http/forms.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { AccountInputError, acceptInvitation, openInvitation } from './accounts.service.ts';
import { consoleRoute } from './guard.ts';
import * as repo from './repo.ts';
import { codeSchema, safeNext, setPasswordSchema, signInSchema } from './schema.ts';
import { confirmTotp, hasSecondFactor, owesExistingSecondFactor, pendingTotp, verifySecondFactor } from './second-factor.service.ts';
import { hashSessionId, maskCsrf, type SessionManager } from './sessions.ts';
import { signIn } from './sign-in.service.ts';
import type { SessionAccount } from './tables.ts';
import { EnrolTotpPage, InvitationGone, InvitationPage, RecoveryCodesPage, SecondFactorPage, SignInPage } from './views/auth-pages.tsx';
import type { KeyPair } from '../../core/crypto/sodium.ts';

/** Starts a fresh session (a new id every sign-in) and sends the person on to the second factor. */
async function startSession(s: AppServices, sessions: SessionManager, request: FastifyRequest, reply: FastifyReply, account: SessionAccount, keyPair: KeyPair, next: string) {
  const previous = sessions.readCookie(request);
  if (previous) {
    await repo.deleteSession(s.db, hashSessionId(previous));
    sessions.forgetKeys(hashSessionId(previous));
  }
  const { id, row } = await sessions.create(s.db, account.id, request.headers['user-agent']);
  sessions.rememberKeys(row.idHash, keyPair);
  sessions.setCookie(reply, id);
  const passkeys = await repo.countPasskeys(s.db, account.id);
  const target = hasSecondFactor(account, passkeys) ? `/console/sign-in/second-factor?next=${encodeURIComponent(next)}` : '/console/account/two-factor/setup';
  return reply.redirect(target, 303);
}

export function registerSignInRoutes(app: FastifyInstance, s: AppServices, sessions: SessionManager): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/console/sign-in',
    access: 'anonymous',
    handler: async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      if (request.staff?.session.secondFactorAt) return reply.redirect(safeNext(query.next), 303);
      const notice = ['signedOut', 'expired', 'passwordSet', 'secondFactorEnded'].includes(query.notice ?? '') ? (query.notice as 'signedOut') : undefined;
      return reply.page(h(SignInPage, { form: emptyForm, next: safeNext(query.next), notice }));
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/sign-in',
    access: 'anonymous',
    handler: async (request, reply) => {
      const parsed = parseForm(signInSchema, request.body);
      const next = safeNext((request.body as Record<string, unknown>)?.next);
      if (!parsed.ok) return reply.page(h(SignInPage, { form: parsed, next }), 422);
      const result = await signIn(s, { email: parsed.data.email, password: parsed.data.password, clientAddress: request.ip });
      if (result.kind === 'locked') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        return reply.page(h(SignInPage, { form: { values: { email: parsed.values.email ?? '' }, errors: {} }, next, lockedMinutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }), 429);
      }
      if (result.kind === 'invalid') {
        return reply.page(h(SignInPage, { form: { values: { email: parsed.values.email ?? '' }, errors: { _form: { key: 'accounts.errors.invalidCredentials' } } }, next }), 422);
      }
      return startSession(s, sessions, request, reply, result.account, result.keyPair, next);
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/sign-in/second-factor',
    access: 'second_factor',
    handler: async (request, reply) => {
      const { account, session } = request.staff!;
      if (session.secondFactorAt) return reply.redirect('/console', 303);
      const passkeys = await repo.countPasskeys(s.db, account.id);
      if (!hasSecondFactor(account, passkeys)) return reply.redirect('/console/account/two-factor/setup', 303);
      return reply.page(h(SecondFactorPage, { form: emptyForm, hasTotp: account.totpEnabledAt !== null, hasPasskey: passkeys > 0 }));
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/sign-in/second-factor',
    access: 'second_factor',
    handler: async (request, reply) => {
      const { account, session } = request.staff!;
      const passkeys = await repo.countPasskeys(s.db, account.id);
      const parsed = parseForm(codeSchema, request.body);
      const hasTotp = account.totpEnabledAt !== null;
      if (!parsed.ok) return reply.page(h(SecondFactorPage, { form: { values: {}, errors: parsed.errors }, hasTotp, hasPasskey: passkeys > 0 }), 422);
      const result = await verifySecondFactor(s, session, account, parsed.data.code);
      if (result.kind === 'ended') {
        sessions.forgetKeys(session.idHash);
        sessions.clearCookie(reply);
        return reply.redirect('/console/sign-in?notice=secondFactorEnded', 303);
      }
      if (result.kind === 'invalid') {
        return reply.page(h(SecondFactorPage, { form: { values: {}, errors: { code: { key: 'accounts.errors.codeWrong' } } }, hasTotp, hasPasskey: passkeys > 0, attemptsLeft: result.attemptsLeft }), 422);
      }
      await sessions.completeSecondFactor(s.db, reply, session, request.headers['user-agent']);
      return reply.redirect(safeNext((request.query as Record<string, string>).next), 303);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/sign-out',
    access: 'second_factor',
    handler: async (request, reply) => {
      const { session, account } = request.staff!;
      await s.db.transaction().execute(async (trx) => {
        await repo.deleteSession(trx, session.idHash);
        await s.audit(trx, { actor: { id: account.id, label: account.email }, action: 'auth.signed_out', targetType: 'account', targetId: account.id });
      });
      sessions.forgetKeys(session.idHash);
      sessions.clearCookie(reply);
      return reply.redirect('/console/sign-in?notice=signedOut', 303);
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/account/two-factor/setup',
    access: 'second_factor',
    handler: async (request, reply) => {
      const { account, session } = request.staff!;
      if (await owesExistingSecondFactor(s, session, account)) return reply.redirect('/console/sign-in/second-factor', 303);
      const { secret, uri } = await pendingTotp(s, session, account);
      return reply.page(h(EnrolTotpPage, { form: emptyForm, secret, uri, offerPasskey: !session.secondFactorAt }));
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/account/two-factor/qr.svg',
    access: 'second_factor',
    handler: async (request, reply) => {
      const { account, session } = request.staff!;
      if (await owesExistingSecondFactor(s, session, account)) throw new AppError('not_found');
      const { uri } = await pendingTotp(s, session, account);
      const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/two-factor/setup',
    access: 'second_factor',
    handler: async (request, reply) => {
      const { account, session } = request.staff!;
      if (await owesExistingSecondFactor(s, session, account)) return reply.redirect('/console/sign-in/second-factor', 303);
      const parsed = parseForm(codeSchema, request.body);
      const codes = parsed.ok ? await confirmTotp(s, session, account, parsed.data.code) : undefined;
      if (!codes) {
        const { secret, uri } = await pendingTotp(s, session, account);
        const form = { values: {}, errors: { code: { key: 'accounts.errors.codeWrong' } } };
        return reply.page(h(EnrolTotpPage, { form, secret, uri, offerPasskey: !session.secondFactorAt }), 422);
      }
      if (!session.secondFactorAt) {
        // A first enrolment completes the sign-in: it gets a new session id like any second factor.
        const next = await sessions.completeSecondFactor(s.db, reply, session, request.headers['user-agent']);
        request.staff!.session = next;
        request.csrfToken = maskCsrf(next.csrfSecret);
      }
      // Recovery codes are shown in this answer only and never stored in readable form.
      return reply.page(h(RecoveryCodesPage, { codes }));
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/invitations/:token',
    access: 'anonymous',
    handler: async (request, reply) => {
      const { token } = request.params as { token: string };
      const invitation = await openInvitation(s, token);
      if (!invitation) return reply.page(h(InvitationGone, {}), 404);
      return reply.page(h(InvitationPage, { form: emptyForm, kind: invitation.kind, email: invitation.email, displayName: invitation.displayName, token }));
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/invitations/:token',
    access: 'anonymous',
    handler: async (request, reply) => {
      const { token } = request.params as { token: string };
      const invitation = await openInvitation(s, token);
      if (!invitation) return reply.page(h(InvitationGone, {}), 404);
      const props = { kind: invitation.kind, email: invitation.email, displayName: invitation.displayName, token };
      const parsed = parseForm(setPasswordSchema, request.body);
      if (!parsed.ok) return reply.page(h(InvitationPage, { ...props, form: { values: {}, errors: parsed.errors } }), 422);
      try {
        const { account, keyPair } = await acceptInvitation(s, token, parsed.data.password);
        return startSession(s, sessions, request, reply, account, keyPair, '/console');
      } catch (error) {
        if (error instanceof AccountInputError) {
          return reply.page(h(InvitationPage, { ...props, form: { values: {}, errors: { [error.field]: { key: error.key } } } }), 422);
        }
        throw error;
      }
    },
  });
}
