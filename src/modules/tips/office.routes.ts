import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import { AppError } from '../../core/http/errors.ts';
import type { AppServices } from '../../core/module.ts';
import { emptyForm, type FormState } from '../../core/views/forms.tsx';
import { accessOverview, shareOwnTips, shareWithRecoveryKey } from './access.service.ts';
import { setRetentionDays } from './retention.service.ts';
import { accessQuerySchema, grantAllFormSchema, retentionFormSchema, statsQuerySchema } from './schema.ts';
import { tipStats } from './stats.service.ts';
import { AccessPage } from './views/access-page.tsx';
import { StatsPage } from './views/stats-page.tsx';

const unlock = (reply: FastifyReply, next: string) => reply.redirect(`/console/account/unlock?next=${encodeURIComponent(next)}`, 303);

type SharingResult = { granted: number; unavailable: number };

/** Tip statistics (counts only), the retention period, and sharing access to every tip. */
export function registerTipOfficeRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/stats',
    access: 'tips.stats',
    query: statsQuerySchema,
    handler: async ({ query, staff, ctx }, request, reply) => {
      const days = request.settings.tipRetentionDays;
      const retentionForm = staff.permissions.has('settings.manage') ? { values: { days: String(days) }, errors: {} } : undefined;
      return reply.page(h(StatsPage, { stats: await tipStats(ctx), retentionDays: days, retentionForm, saved: query.saved === '1' }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/retention',
    access: 'settings.manage',
    body: retentionFormSchema,
    handler: async ({ form, ctx }, request, reply) => {
      if (!form.ok) return reply.page(h(StatsPage, { stats: await tipStats(ctx), retentionDays: request.settings.tipRetentionDays, retentionForm: form }), 422);
      await setRetentionDays(ctx, form.data.days);
      return reply.redirect('/console/tips/stats?saved=1', 303);
    },
  });

  async function renderAccess(reply: FastifyReply, ctx: Context, staff: Staff, form: FormState, result?: SharingResult, status = 200) {
    return reply.page(h(AccessPage, { overview: await accessOverview(ctx), form, canShareOwn: staff.permissions.has('tips.read'), result }), status);
  }

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/access',
    access: 'tips.grant',
    query: accessQuerySchema,
    handler: async ({ query, staff, ctx }, _request, reply) => {
      const result = query.granted !== undefined ? { granted: query.granted, unavailable: query.unavailable } : undefined;
      return renderAccess(reply, ctx, staff, emptyForm, result);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/access',
    access: 'tips.grant',
    body: grantAllFormSchema,
    handler: async ({ form, staff, ctx }, _request, reply) => {
      // The recovery key is never written back into a page.
      const { recoveryKey: _never, ...values } = form.values;
      if (!form.ok) return renderAccess(reply, ctx, staff, { values, errors: form.errors }, undefined, 422);
      const { source, accountId } = form.data;
      if (source === 'own') {
        if (!staff.permissions.has('tips.read')) throw new AppError('forbidden');
        if (!staff.keyPair) return unlock(reply, '/console/tips/access');
      }
      const shared = source === 'own' ? await shareOwnTips(ctx, staff, accountId) : await shareWithRecoveryKey(ctx, form.data.recoveryKey ?? '', accountId);
      if (shared.outcome === 'recovery_key_refused') return renderAccess(reply, ctx, staff, { values, errors: { recoveryKey: { key: 'tips.access.errors.recoveryKey' } } }, undefined, 422);
      if (shared.outcome === 'not_reader') return renderAccess(reply, ctx, staff, { values, errors: { accountId: { key: 'tips.access.errors.notReader' } } }, undefined, 422);
      const { granted, unavailable } = shared.outcome === 'granted' ? shared : { granted: 0, unavailable: 0 };
      return reply.redirect(`/console/tips/access?granted=${granted}&unavailable=${unavailable}`, 303);
    },
  });
}
