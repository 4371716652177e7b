import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { AppError } from '../../core/http/errors.ts';
import { formValues, parseForm } from '../../core/http/forms.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import type { AppServices } from '../../core/module.ts';
import { accessOverview, shareOwnTips, shareWithRecoveryKey } from './access.service.ts';
import { setRetentionDays } from './retention.service.ts';
import { grantAllFormSchema, retentionFormSchema } from './schema.ts';
import { tipStats } from './stats.service.ts';
import { AccessPage } from './views/access-page.tsx';
import { StatsPage } from './views/stats-page.tsx';

const unlock = (reply: FastifyReply, next: string) => reply.redirect(`/console/account/unlock?next=${encodeURIComponent(next)}`, 303);

/** Tip statistics (counts only), the retention period, and sharing access to every tip. */
export function registerTipOfficeRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/stats',
    access: 'tips.stats',
    handler: async ({ staff, ctx }, request, reply) => {
      const canSet = staff.permissions.has('settings.manage');
      const days = request.settings.tipRetentionDays;
      const saved = (request.query as Record<string, string>).saved === '1';
      return reply.page(h(StatsPage, { stats: await tipStats(ctx), retentionDays: days, retentionForm: canSet ? { values: { days: String(days) }, errors: {} } : undefined, saved }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/retention',
    access: 'settings.manage',
    handler: async ({ ctx }, request, reply) => {
      const parsed = parseForm(retentionFormSchema, request.body);
      if (!parsed.ok) {
        const days = request.settings.tipRetentionDays;
        return reply.page(h(StatsPage, { stats: await tipStats(ctx), retentionDays: days, retentionForm: parsed }), 422);
      }
      await setRetentionDays(ctx, parsed.data.days);
      return reply.redirect('/console/tips/stats?saved=1', 303);
    },
  });

  async function renderAccess(request: FastifyRequest, reply: FastifyReply, ctx: Context, staff: Staff, form = emptyForm, status = 200) {
    const query = request.query as Record<string, string>;
    const result = query.granted !== undefined ? { granted: Number(query.granted) || 0, unavailable: Number(query.unavailable) || 0 } : undefined;
    const canShareOwn = staff.permissions.has('tips.read');
    return reply.page(h(AccessPage, { overview: await accessOverview(ctx), form, canShareOwn, result }), status);
  }

  consoleRoute(app, s, { method: 'GET', url: '/console/tips/access', access: 'tips.grant', handler: ({ staff, ctx }, request, reply) => renderAccess(request, reply, ctx, staff) });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/access',
    access: 'tips.grant',
    handler: async ({ staff, ctx }, request, reply) => {
      const parsed = parseForm(grantAllFormSchema, request.body);
      // The recovery key is never written back into a page.
      const { recoveryKey: _never, ...values } = formValues(request.body);
      if (!parsed.ok) return renderAccess(request, reply, ctx, staff, { values, errors: parsed.errors }, 422);
      const { source, accountId } = parsed.data;
      if (source === 'own') {
        if (!staff.permissions.has('tips.read')) throw new AppError('forbidden');
        if (!staff.keyPair) return unlock(reply, '/console/tips/access');
      }
      const outcome = source === 'own' ? await shareOwnTips(ctx, staff, accountId) : await shareWithRecoveryKey(ctx, parsed.data.recoveryKey ?? '', accountId);
      if (outcome.outcome === 'recovery_key_refused') {
        return renderAccess(request, reply, ctx, staff, { values, errors: { recoveryKey: { key: 'tips.access.errors.recoveryKey' } } }, 422);
      }
      if (outcome.outcome === 'not_reader') return renderAccess(request, reply, ctx, staff, { values, errors: { accountId: { key: 'tips.access.errors.notReader' } } }, 422);
      const granted = outcome.outcome === 'granted' ? outcome : { granted: 0, unavailable: 0 };
      return reply.redirect(`/console/tips/access?granted=${granted.granted}&unavailable=${granted.unavailable}`, 303);
    },
  });

}
