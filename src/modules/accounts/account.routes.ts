import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import type { AppServices } from '../../core/module.ts';
import { AppError } from '../../core/http/errors.ts';
import { parseForm } from '../../core/http/forms.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { AccountInputError, actorOf, changePassword, setOwnLocale, unlockOwnKeys } from './accounts.service.ts';
import { consoleRoute } from './guard.ts';
import * as repo from './repo.ts';
import { changePasswordSchema, safeNext } from './schema.ts';
import { regenerateRecoveryCodes } from './second-factor.service.ts';
import type { SessionManager } from './sessions.ts';
import { OwnAccountPage, PasswordPage, SessionsPage } from './views/account-pages.tsx';
import { RecoveryCodesPage, UnlockPage } from './views/auth-pages.tsx';

/** Sessions are shown by a short public handle, never by the hash that identifies them. */
const handleOf = (idHash: string) => idHash.slice(0, 16);

export function registerOwnAccountRoutes(app: FastifyInstance, s: AppServices, sessions: SessionManager): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/console/account',
    access: 'console.use',
    handler: async (request, reply) => {
      const { account, roles, keyPair } = request.staff!;
      const passkeys = await repo.listPasskeys(s.db, account.id);
      const notice = (request.query as Record<string, string>).notice;
      return reply.page(
        h(OwnAccountPage, {
          email: account.email,
          displayName: account.displayName,
          roles,
          locale: account.locale,
          totpEnabled: account.totpEnabledAt !== null,
          passkeys,
          recoveryCodesLeft: await repo.countUnusedRecoveryCodes(s.db, account.id),
          keysUnlocked: keyPair !== undefined,
          notice: ['locale', 'passkeyAdded', 'passkeyEnrolled', 'passkeyRemoved', 'passkeyLastFactor', 'unlocked'].includes(notice ?? '') ? notice : undefined,
        }),
      );
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/locale',
    access: 'console.use',
    handler: async (request, reply) => {
      const parsed = parseForm(z.object({ locale: z.enum(s.catalogs.locales as [string, ...string[]]) }), request.body);
      if (!parsed.ok) throw new AppError('bad_request');
      await setOwnLocale(s, request.staff!.account, parsed.data.locale);
      return reply.redirect('/console/account?notice=locale', 303);
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/account/password',
    access: 'console.use',
    handler: async (request, reply) => reply.page(h(PasswordPage, { form: emptyForm, done: (request.query as Record<string, string>).done === '1' })),
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/password',
    access: 'console.use',
    handler: async (request, reply) => {
      const parsed = parseForm(changePasswordSchema, request.body);
      if (!parsed.ok) return reply.page(h(PasswordPage, { form: { values: {}, errors: parsed.errors } }), 422);
      const { account, session } = request.staff!;
      try {
        const keyPair = await changePassword(s, account, session.idHash, parsed.data.current, parsed.data.password);
        sessions.rememberKeys(session.idHash, keyPair);
        return reply.redirect('/console/account/password?done=1', 303);
      } catch (error) {
        if (error instanceof AccountInputError) return reply.page(h(PasswordPage, { form: { values: {}, errors: { [error.field]: { key: error.key } } } }), 422);
        throw error;
      }
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/account/sessions',
    access: 'console.use',
    handler: async (request, reply) => {
      const { account, session } = request.staff!;
      const rows = await repo.listSessionsOf(s.db, account.id);
      const notice = (request.query as Record<string, string>).notice;
      return reply.page(
        h(SessionsPage, {
          sessions: rows.map((r) => ({ id: handleOf(r.idHash), device: r.device, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, current: r.idHash === session.idHash })),
          notice: notice === 'signedOutOthers' || notice === 'revoked' ? notice : undefined,
        }),
      );
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/sessions/sign-out-everywhere',
    access: 'console.use',
    handler: async (request, reply) => {
      const { account, session } = request.staff!;
      await s.db.transaction().execute(async (trx) => {
        const ended = await repo.deleteSessionsOf(trx, account.id, session.idHash);
        await s.audit(trx, { actor: actorOf(account), action: 'auth.signed_out_everywhere', targetType: 'account', targetId: account.id, detail: { sessions: ended } });
      });
      return reply.redirect('/console/account/sessions?notice=signedOutOthers', 303);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/sessions/:handle/revoke',
    access: 'console.use',
    handler: async (request, reply) => {
      const { account } = request.staff!;
      const { handle } = request.params as { handle: string };
      const target = (await repo.listSessionsOf(s.db, account.id)).find((r) => handleOf(r.idHash) === handle);
      if (!target) throw new AppError('not_found');
      await s.db.transaction().execute(async (trx) => {
        await repo.deleteSession(trx, target.idHash);
        await s.audit(trx, { actor: actorOf(account), action: 'auth.session_revoked', targetType: 'account', targetId: account.id });
      });
      sessions.forgetKeys(target.idHash);
      return reply.redirect('/console/account/sessions?notice=revoked', 303);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/recovery-codes',
    access: 'console.use',
    handler: async (request, reply) => {
      const codes = await regenerateRecoveryCodes(s, request.staff!.account);
      return reply.page(h(RecoveryCodesPage, { codes }));
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/account/unlock',
    access: 'console.use',
    handler: async (request, reply) => reply.page(h(UnlockPage, { form: emptyForm, next: safeNext((request.query as Record<string, string>).next) })),
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/unlock',
    access: 'console.use',
    handler: async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const next = safeNext(body?.next);
      const { account, session } = request.staff!;
      const password = typeof body?.password === 'string' ? body.password : '';
      const keyPair = await unlockOwnKeys(s, account, password);
      if (!keyPair) return reply.page(h(UnlockPage, { form: { values: {}, errors: { password: { key: 'accounts.errors.currentPasswordWrong' } } }, next }), 422);
      sessions.rememberKeys(session.idHash, keyPair);
      return reply.redirect(next === '/console' ? '/console/account?notice=unlocked' : next, 303);
    },
  });
}
