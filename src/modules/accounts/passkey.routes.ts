import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppServices } from '../../core/module.ts';
import { AppError } from '../../core/http/errors.ts';
import { consoleRoute } from './guard.ts';
import { addPasskey, authenticationOptions, registrationOptions, removePasskey, verifyPasskeySignIn } from './passkeys.service.ts';
import * as repo from './repo.ts';
import { passkeyAuthenticationSchema, passkeyRegistrationSchema, safeNext } from './schema.ts';
import { hasSecondFactor } from './second-factor.service.ts';
import type { SessionManager } from './sessions.ts';

/** WebAuthn answers are a few kilobytes; nothing bigger is read. */
const bodyLimit = 64 * 1024;

/** The island follows `redirect`; anything else is shown as "not accepted". */
const refused = (reply: FastifyReply, extra: Record<string, unknown> = {}) => reply.code(422).send({ error: 'passkey_failed', ...extra });

/**
 * Passkeys: adding and removing them from one's account, enrolling one instead of TOTP, and
 * using one as the second factor at sign-in. The JSON posts carry the CSRF token in the body.
 */
export function registerPasskeyRoutes(app: FastifyInstance, s: AppServices, sessions: SessionManager): void {
  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/passkeys/options',
    access: 'console.use',
    bodyLimit,
    handler: async (request, reply) => {
      const { session, account } = request.staff!;
      return reply.send(await registrationOptions(s, session, account));
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/passkeys',
    access: 'console.use',
    bodyLimit,
    handler: async (request, reply) => {
      const { session, account } = request.staff!;
      const parsed = passkeyRegistrationSchema.safeParse(request.body);
      if (!parsed.success) return refused(reply);
      const input = { name: parsed.data.name, response: parsed.data.response as RegistrationResponseJSON };
      const result = await addPasskey(s, session, account, input, { enrol: false });
      if (result.kind !== 'ok') return refused(reply);
      return reply.send({ redirect: '/console/account?notice=passkeyAdded' });
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/passkeys/:id/delete',
    access: 'console.use',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const result = await removePasskey(s, request.staff!.account, id);
      if (result === 'not_found') throw new AppError('not_found');
      return reply.redirect(`/console/account?notice=${result === 'ok' ? 'passkeyRemoved' : 'passkeyLastFactor'}`, 303);
    },
  });

  // Enrolment: a passkey instead of TOTP, for an account that has no second factor yet.
  const mayEnrol = async (accountId: string): Promise<boolean> => {
    const account = await repo.findAccountById(s.db, accountId);
    return account !== undefined && !hasSecondFactor(account, await repo.countPasskeys(s.db, accountId));
  };

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/two-factor/passkey/options',
    access: 'second_factor',
    bodyLimit,
    handler: async (request, reply) => {
      const { session, account } = request.staff!;
      if (!(await mayEnrol(account.id))) throw new AppError('forbidden');
      return reply.send(await registrationOptions(s, session, account));
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/account/two-factor/passkey',
    access: 'second_factor',
    bodyLimit,
    handler: async (request, reply) => {
      const { session, account } = request.staff!;
      if (!(await mayEnrol(account.id))) throw new AppError('forbidden');
      const parsed = passkeyRegistrationSchema.safeParse(request.body);
      if (!parsed.success) return refused(reply);
      const input = { name: parsed.data.name, response: parsed.data.response as RegistrationResponseJSON };
      const result = await addPasskey(s, session, account, input, { enrol: true });
      if (result.kind === 'not_allowed') throw new AppError('forbidden');
      if (result.kind !== 'ok') return refused(reply);
      await sessions.completeSecondFactor(s.db, reply, session, request.headers['user-agent']);
      return reply.send({ redirect: '/console/account?notice=passkeyEnrolled' });
    },
  });

  // Sign-in: a passkey as the second factor.
  consoleRoute(app, {
    method: 'POST',
    url: '/console/sign-in/passkey/options',
    access: 'second_factor',
    bodyLimit,
    handler: async (request, reply) => {
      const { session, account } = request.staff!;
      if (session.secondFactorAt) return reply.send({ redirect: '/console' });
      const options = await authenticationOptions(s, session, account);
      if (!options) throw new AppError('not_found');
      return reply.send(options);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/sign-in/passkey',
    access: 'second_factor',
    bodyLimit,
    handler: async (request, reply) => {
      const { session, account } = request.staff!;
      if (session.secondFactorAt) return reply.send({ redirect: '/console' });
      const parsed = passkeyAuthenticationSchema.safeParse(request.body);
      const response = parsed.success ? (parsed.data.response as AuthenticationResponseJSON) : undefined;
      const result = await verifyPasskeySignIn(s, session, account, response);
      if (result.kind === 'ended') {
        sessions.forgetKeys(session.idHash);
        sessions.clearCookie(reply);
        return reply.code(403).send({ error: 'ended', redirect: '/console/sign-in?notice=secondFactorEnded' });
      }
      if (result.kind === 'invalid') return refused(reply, { attemptsLeft: result.attemptsLeft });
      await sessions.completeSecondFactor(s.db, reply, session, request.headers['user-agent']);
      return reply.send({ redirect: safeNext(parsed.success ? parsed.data.next : undefined) });
    },
  });
}
