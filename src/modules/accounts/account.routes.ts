import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { AppServices } from '../../core/module.ts';
import { AppError } from '../../core/http/errors.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { AccountInputError, changePassword, ownAccountSummary, setOwnLocale } from './accounts.service.ts';
import { changePasswordSchema, doneQuery, handleParams, localeSchema, nextQuery, ownAccountQuery, safeNext, sessionsQuery, unlockSchema } from './schema.ts';
import { regenerateRecoveryCodes } from './second-factor.service.ts';
import { listSessions, revokeSession, signOutEverywhere, unlockKeys } from './sessions.service.ts';
import { OwnAccountPage, PasswordPage, SessionsPage } from './views/account-pages.tsx';
import { RecoveryCodesPage, UnlockPage } from './views/auth-pages.tsx';

export function registerOwnAccountRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/account',
    access: 'console.use',
    query: ownAccountQuery,
    handler: async ({ query, staff, ctx }, _request, reply) => {
      const { account, roles, keyPair } = staff;
      const summary = await ownAccountSummary(ctx, staff);
      return reply.page(
        h(OwnAccountPage, {
          email: account.email,
          displayName: account.displayName,
          roles,
          locale: account.locale,
          totpEnabled: account.totpEnabledAt !== null,
          passkeys: summary.passkeys,
          recoveryCodesLeft: summary.recoveryCodesLeft,
          keysUnlocked: keyPair !== undefined,
          notice: query.notice,
        }),
      );
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/locale',
    access: 'console.use',
    body: localeSchema(s.catalogs.locales),
    handler: async ({ form, staff, ctx }, _request, reply) => {
      if (!form.ok) throw new AppError('bad_request');
      await setOwnLocale(ctx, staff.account, form.data.locale);
      return reply.redirect('/console/account?notice=locale', 303);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/account/password',
    access: 'console.use',
    query: doneQuery,
    handler: async ({ query }, _request, reply) => reply.page(h(PasswordPage, { form: emptyForm, done: query.done === '1' })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/password',
    access: 'console.use',
    body: changePasswordSchema,
    handler: async ({ form, staff, ctx }, request, reply) => {
      if (!form.ok) return reply.page(h(PasswordPage, { form: { values: {}, errors: form.errors } }), 422);
      try {
        await changePassword(ctx, staff, s.sessions.readCookie(request), form.data.current, form.data.password);
        return reply.redirect('/console/account/password?done=1', 303);
      } catch (error) {
        if (error instanceof AccountInputError) return reply.page(h(PasswordPage, { form: { values: {}, errors: { [error.field]: { key: error.key } } } }), 422);
        throw error;
      }
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/account/sessions',
    access: 'console.use',
    query: sessionsQuery,
    handler: async ({ query, staff, ctx }, _request, reply) => reply.page(h(SessionsPage, { sessions: await listSessions(ctx, staff), notice: query.notice })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/sessions/sign-out-everywhere',
    access: 'console.use',
    handler: async ({ staff, ctx }, _request, reply) => {
      await signOutEverywhere(ctx, staff);
      return reply.redirect('/console/account/sessions?notice=signedOutOthers', 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/sessions/:handle/revoke',
    access: 'console.use',
    params: handleParams,
    handler: async ({ params, staff, ctx }, _request, reply) => {
      if (!(await revokeSession(ctx, staff, params.handle))) throw new AppError('not_found');
      return reply.redirect('/console/account/sessions?notice=revoked', 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/recovery-codes',
    access: 'console.use',
    handler: async ({ staff, ctx }, _request, reply) => reply.page(h(RecoveryCodesPage, { codes: await regenerateRecoveryCodes(ctx, staff) })),
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/account/unlock',
    access: 'console.use',
    query: nextQuery,
    handler: async ({ query }, _request, reply) => reply.page(h(UnlockPage, { form: emptyForm, next: safeNext(query.next) })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/unlock',
    access: 'console.use',
    body: unlockSchema,
    handler: async ({ form, staff, ctx }, request, reply) => {
      const next = safeNext(form.values.next);
      const cookie = s.sessions.readCookie(request);
      const password = form.ok ? form.data.password : '';
      const result = cookie ? await unlockKeys(ctx, staff, cookie, password) : { kind: 'invalid' as const };
      if (result.kind === 'locked') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        return reply.page(h(UnlockPage, { form: emptyForm, next, lockedMinutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }), 429);
      }
      if (result.kind === 'invalid') {
        return reply.page(h(UnlockPage, { form: { values: {}, errors: { password: { key: 'accounts.errors.currentPasswordWrong' } } }, next }), 422);
      }
      return reply.redirect(next === '/console' ? '/console/account?notice=unlocked' : next, 303);
    },
  });
}
