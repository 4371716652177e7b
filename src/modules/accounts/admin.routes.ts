import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../core/module.ts';
import { AppError } from '../../core/http/errors.ts';
import { parseForm } from '../../core/http/forms.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { AccountInputError, actorOf, inviteAccount, requestPasswordReset, revokeInvitation, setAccountActive, setAccountRoles } from './accounts.service.ts';
import { consoleRoute } from './guard.ts';
import * as repo from './repo.ts';
import { inviteSchema, rolesSchema } from './schema.ts';
import { resetSecondFactors } from './second-factor.service.ts';
import { AccountDetailPage, AccountsListPage, InvitePage } from './views/admin-pages.tsx';

const NOTICES = ['invited', 'roles', 'deactivated', 'reactivated', 'resetSent', 'secondFactorReset', 'revoked'];

export function registerAdminRoutes(app: FastifyInstance, s: AppServices): void {
  const actor = (request: FastifyRequest) => actorOf(request.staff!.account);

  async function detail(request: FastifyRequest, id: string) {
    const account = await repo.findAccountById(s.db, id);
    if (!account) throw new AppError('not_found');
    return {
      id: account.id,
      displayName: account.displayName,
      email: account.email,
      roles: await repo.rolesOf(s.db, id),
      status: account.status,
      totpEnabled: account.totpEnabledAt !== null,
      lastSignInAt: account.lastSignInAt,
      createdAt: account.createdAt,
      keysCreatedAt: account.keysCreatedAt,
      isSelf: request.staff!.account.id === id,
    };
  }

  consoleRoute(app, {
    method: 'GET',
    url: '/console/accounts',
    access: 'accounts.manage',
    handler: async (request, reply) => {
      const accounts = await repo.listAccountsWithRoles(s.db);
      const invitations = await repo.listOpenInvitations(s.db, s.clock.now().toISOString());
      const notice = (request.query as Record<string, string>).notice;
      return reply.page(
        h(AccountsListPage, {
          accounts: accounts.map((a) => ({ id: a.id, displayName: a.displayName, email: a.email, roles: a.roles, status: a.status, totpEnabled: a.totpEnabledAt !== null, lastSignInAt: a.lastSignInAt })),
          invitations: invitations.map((i) => ({ id: i.id, email: i.email, displayName: i.displayName, kind: i.kind, expiresAt: i.expiresAt })),
          notice: NOTICES.includes(notice ?? '') ? notice : undefined,
        }),
      );
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/accounts/invite',
    access: 'accounts.manage',
    handler: async (request, reply) => reply.page(h(InvitePage, { form: { values: { locale: request.locale }, errors: {} } })),
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/accounts/invite',
    access: 'accounts.manage',
    handler: async (request, reply) => {
      const parsed = parseForm(inviteSchema(s.catalogs.locales), request.body);
      if (!parsed.ok) return reply.page(h(InvitePage, { form: parsed }), 422);
      try {
        await inviteAccount(s, actor(request), parsed.data);
      } catch (error) {
        if (error instanceof AccountInputError) return reply.page(h(InvitePage, { form: { values: parsed.values, errors: { [error.field]: { key: error.key } } } }), 422);
        throw error;
      }
      return reply.redirect('/console/accounts?notice=invited', 303);
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/accounts/:id',
    access: 'accounts.manage',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const { isSelf, ...account } = await detail(request, id);
      const notice = (request.query as Record<string, string>).notice;
      return reply.page(h(AccountDetailPage, { account, form: emptyForm, isSelf, notice: NOTICES.includes(notice ?? '') ? notice : undefined }));
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/accounts/:id/roles',
    access: 'accounts.manage',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const parsed = parseForm(rolesSchema, request.body);
      const render = async (form: { values: Record<string, string | string[]>; errors: Record<string, { key: string }> }) => {
        const { isSelf, ...account } = await detail(request, id);
        return reply.page(h(AccountDetailPage, { account, form, isSelf }), 422);
      };
      if (!parsed.ok) return render(parsed);
      try {
        await setAccountRoles(s, actor(request), id, parsed.data.roles);
      } catch (error) {
        if (error instanceof AccountInputError) return render({ values: parsed.values, errors: { [error.field]: { key: error.key } } });
        throw error;
      }
      return reply.redirect(`/console/accounts/${id}?notice=roles`, 303);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/accounts/:id/status',
    access: 'accounts.manage',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      if (id === request.staff!.account.id) throw new AppError('bad_request');
      const active = (request.body as Record<string, unknown>)?.active === 'yes';
      try {
        await setAccountActive(s, actor(request), id, active);
      } catch (error) {
        if (error instanceof AccountInputError) {
          const { isSelf, ...account } = await detail(request, id);
          return reply.page(h(AccountDetailPage, { account, isSelf, form: { values: {}, errors: { [error.field]: { key: error.key } } } }), 422);
        }
        throw error;
      }
      return reply.redirect(`/console/accounts/${id}?notice=${active ? 'reactivated' : 'deactivated'}`, 303);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/accounts/:id/reset-password',
    access: 'accounts.manage',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      if (id === request.staff!.account.id) throw new AppError('bad_request');
      await requestPasswordReset(s, actor(request), id);
      return reply.redirect(`/console/accounts/${id}?notice=resetSent`, 303);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/accounts/:id/reset-second-factor',
    access: 'accounts.manage',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      if (id === request.staff!.account.id || !(await repo.findAccountById(s.db, id))) throw new AppError('not_found');
      await resetSecondFactors(s, actor(request), id);
      return reply.redirect(`/console/accounts/${id}?notice=secondFactorReset`, 303);
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/accounts/invitations/:id/revoke',
    access: 'accounts.manage',
    handler: async (request, reply) => {
      await revokeInvitation(s, actor(request), (request.params as { id: string }).id);
      return reply.redirect('/console/accounts?notice=revoked', 303);
    },
  });
}
