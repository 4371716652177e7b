import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { AppServices } from '../../core/module.ts';
import type { Context } from '../../core/context.ts';
import { AppError } from '../../core/http/errors.ts';
import type { FormState } from '../../core/views/forms.tsx';
import { emptyForm } from '../../core/views/forms.tsx';
import type { Staff } from '../../core/auth/staff.ts';
import { AccountInputError, accountDetail, accountExists, accountsOverview, setAccountActive, setAccountRoles } from './accounts.service.ts';
import { inviteAccount, requestPasswordReset, revokeInvitation } from './invitations.service.ts';
import { activeSchema, adminNoticeQuery, idParams, inviteSchema, rolesSchema } from './schema.ts';
import { resetSecondFactors } from './second-factor.service.ts';
import { AccountDetailPage, AccountsListPage, InvitePage } from './views/admin-pages.tsx';

export function registerAdminRoutes(app: FastifyInstance, s: AppServices): void {
  // With no mail server the link is written to the outbox, not sent: the notice must not say "sent".
  const mailNotice = <N extends string>(notice: N | undefined) =>
    notice && s.mailer.transport.kind !== 'smtp' && (notice === 'invited' || notice === 'resetSent') ? `${notice}Outbox` : notice;
  async function detail(ctx: Context, staff: Staff, id: string) {
    const account = await accountDetail(ctx, id);
    if (!account) throw new AppError('not_found');
    return { account, isSelf: staff.account.id === id };
  }
  const inputError = (error: unknown, values: FormState['values']) => {
    if (error instanceof AccountInputError) return { values, errors: { [error.field]: { key: error.key } } };
    throw error;
  };

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/accounts',
    access: 'accounts.manage',
    query: adminNoticeQuery,
    handler: async ({ query, ctx }, _request, reply) => reply.page(h(AccountsListPage, { ...(await accountsOverview(ctx)), notice: mailNotice(query.notice) })),
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/accounts/invite',
    access: 'accounts.manage',
    handler: async (_input, request, reply) => reply.page(h(InvitePage, { form: { values: { locale: request.locale }, errors: {} } })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/accounts/invite',
    access: 'accounts.manage',
    body: inviteSchema(s.catalogs.locales),
    handler: async ({ form, ctx }, _request, reply) => {
      if (!form.ok) return reply.page(h(InvitePage, { form }), 422);
      try {
        await inviteAccount(ctx, form.data);
      } catch (error) {
        return reply.page(h(InvitePage, { form: inputError(error, form.values) }), 422);
      }
      return reply.redirect('/console/accounts?notice=invited', 303);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/accounts/:id',
    access: 'accounts.manage',
    params: idParams,
    query: adminNoticeQuery,
    handler: async ({ params, query, staff, ctx }, _request, reply) => reply.page(h(AccountDetailPage, { ...(await detail(ctx, staff, params.id)), form: emptyForm, notice: mailNotice(query.notice) })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/accounts/:id/roles',
    access: 'accounts.manage',
    params: idParams,
    body: rolesSchema,
    handler: async ({ params, form, staff, ctx }, _request, reply) => {
      const render = async (state: FormState) => reply.page(h(AccountDetailPage, { ...(await detail(ctx, staff, params.id)), form: state }), 422);
      if (!form.ok) return render(form);
      try {
        await setAccountRoles(ctx, params.id, form.data.roles);
      } catch (error) {
        return render(inputError(error, form.values));
      }
      return reply.redirect(`/console/accounts/${params.id}?notice=roles`, 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/accounts/:id/status',
    access: 'accounts.manage',
    params: idParams,
    body: activeSchema,
    handler: async ({ params, form, staff, ctx }, _request, reply) => {
      if (params.id === staff.account.id) throw new AppError('bad_request');
      const active = form.values.active === 'yes';
      try {
        await setAccountActive(ctx, params.id, active);
      } catch (error) {
        return reply.page(h(AccountDetailPage, { ...(await detail(ctx, staff, params.id)), form: inputError(error, {}) }), 422);
      }
      return reply.redirect(`/console/accounts/${params.id}?notice=${active ? 'reactivated' : 'deactivated'}`, 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/accounts/:id/reset-password',
    access: 'accounts.manage',
    params: idParams,
    handler: async ({ params, staff, ctx }, _request, reply) => {
      if (params.id === staff.account.id) throw new AppError('bad_request');
      await requestPasswordReset(ctx, params.id);
      return reply.redirect(`/console/accounts/${params.id}?notice=resetSent`, 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/accounts/:id/reset-second-factor',
    access: 'accounts.manage',
    params: idParams,
    handler: async ({ params, staff, ctx }, _request, reply) => {
      if (params.id === staff.account.id || !(await accountExists(ctx, params.id))) throw new AppError('not_found');
      await resetSecondFactors(ctx, params.id);
      return reply.redirect(`/console/accounts/${params.id}?notice=secondFactorReset`, 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/accounts/invitations/:id/revoke',
    access: 'accounts.manage',
    params: idParams,
    handler: async ({ params, ctx }, _request, reply) => {
      await revokeInvitation(ctx, params.id);
      return reply.redirect('/console/accounts?notice=revoked', 303);
    },
  });
}
