import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { AppServices } from '../../core/module.ts';
import { AppError } from '../../core/http/errors.ts';
import { addPasskey, authenticationOptions, mayEnrolPasskey, registrationOptions, removePasskey, verifyPasskeySignIn } from './passkeys.service.ts';
import { idParams, passkeyAuthenticationSchema, passkeyRegistrationSchema, safeNext } from './schema.ts';

/** WebAuthn answers are a few kilobytes; nothing bigger is read. */
const bodyLimit = 64 * 1024;

/** The island follows `redirect`; anything else is shown as "not accepted". */
const refused = (reply: FastifyReply, extra: Record<string, unknown> = {}) => reply.code(422).send({ error: 'passkey_failed', ...extra });

/**
 * Passkeys: adding and removing them from one's account, enrolling one instead of TOTP, and
 * using one as the second factor at sign-in. The JSON posts carry the CSRF token in the body,
 * and their bodies are JSON, parsed here with their schemas rather than as forms.
 */
export function registerPasskeyRoutes(app: FastifyInstance, s: AppServices): void {
  const { sessions } = s;

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/passkeys/options',
    access: 'console.use',
    bodyLimit,
    handler: async ({ staff, ctx }, _request, reply) => reply.send(await registrationOptions(ctx, staff)),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/passkeys',
    access: 'console.use',
    bodyLimit,
    handler: async ({ staff, ctx }, request, reply) => {
      const parsed = passkeyRegistrationSchema.safeParse(request.body);
      if (!parsed.success) return refused(reply);
      const input = { name: parsed.data.name, password: parsed.data.password, response: parsed.data.response as RegistrationResponseJSON, userAgent: request.headers['user-agent'] };
      const result = await addPasskey(ctx, staff, input, { enrol: false });
      if (result.kind === 'password_wrong') return refused(reply, { reason: 'password' });
      if (result.kind !== 'ok') return refused(reply);
      return reply.send({ redirect: '/console/account?notice=passkeyAdded' });
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/passkeys/:id/delete',
    access: 'console.use',
    params: idParams,
    handler: async ({ params, staff, ctx }, _request, reply) => {
      const result = await removePasskey(ctx, staff, params.id);
      if (result === 'not_found') throw new AppError('not_found');
      return reply.redirect(`/console/account?notice=${result === 'ok' ? 'passkeyRemoved' : 'passkeyLastFactor'}`, 303);
    },
  });

  // Enrolment: a passkey instead of TOTP, for an account that has no second factor yet.
  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/two-factor/passkey/options',
    access: 'second_factor',
    bodyLimit,
    handler: async ({ staff, ctx }, _request, reply) => {
      if (!(await mayEnrolPasskey(ctx, staff))) throw new AppError('forbidden');
      return reply.send(await registrationOptions(ctx, staff));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/account/two-factor/passkey',
    access: 'second_factor',
    bodyLimit,
    handler: async ({ staff, ctx }, request, reply) => {
      if (!(await mayEnrolPasskey(ctx, staff))) throw new AppError('forbidden');
      const parsed = passkeyRegistrationSchema.safeParse(request.body);
      if (!parsed.success) return refused(reply);
      const input = { name: parsed.data.name, response: parsed.data.response as RegistrationResponseJSON, userAgent: request.headers['user-agent'] };
      const result = await addPasskey(ctx, staff, input, { enrol: true });
      if (result.kind === 'not_allowed') throw new AppError('forbidden');
      if (result.kind !== 'ok') return refused(reply);
      if (result.session) sessions.setCookie(reply, result.session.id);
      return reply.send({ redirect: '/console/account?notice=passkeyEnrolled' });
    },
  });

  // Sign-in: a passkey as the second factor.
  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/sign-in/passkey/options',
    access: 'second_factor',
    bodyLimit,
    handler: async ({ staff, ctx }, _request, reply) => {
      if (staff.session.secondFactorAt) return reply.send({ redirect: '/console' });
      const options = await authenticationOptions(ctx, staff);
      if (!options) throw new AppError('not_found');
      return reply.send(options);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/sign-in/passkey',
    access: 'second_factor',
    bodyLimit,
    handler: async ({ staff, ctx }, request, reply) => {
      if (staff.session.secondFactorAt) return reply.send({ redirect: '/console' });
      const parsed = passkeyAuthenticationSchema.safeParse(request.body);
      const response = parsed.success ? (parsed.data.response as AuthenticationResponseJSON) : undefined;
      const result = await verifyPasskeySignIn(ctx, staff, response, request.headers['user-agent']);
      if (result.kind === 'ended') {
        sessions.clearCookie(reply);
        return reply.code(403).send({ error: 'ended', redirect: '/console/sign-in?notice=secondFactorEnded' });
      }
      if (result.kind === 'invalid') return refused(reply, { attemptsLeft: result.attemptsLeft });
      sessions.setCookie(reply, result.session.id);
      return reply.send({ redirect: safeNext(parsed.success ? parsed.data.next : undefined) });
    },
  });
}
