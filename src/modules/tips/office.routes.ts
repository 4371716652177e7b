import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { AppError } from '../../core/http/errors.ts';
import { formValues, parseForm } from '../../core/http/forms.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { actorOf } from '../../core/auth/staff.ts';
import { officePublicKey, unlockOfficeKey } from '../accounts/index.ts';
import { accessOverview, grantTips } from './access.service.ts';
import type { TipsContext } from './model.ts';
import { grantAllFormSchema, retentionFormSchema } from './schema.ts';
import { tipStats } from './stats.service.ts';
import { AccessPage } from './views/access-page.tsx';
import { StatsPage } from './views/stats-page.tsx';

const unlock = (reply: FastifyReply, next: string) => reply.redirect(`/console/account/unlock?next=${encodeURIComponent(next)}`, 303);

/** Tip statistics (counts only), the retention period, and sharing access to every tip. */
export function registerTipOfficeRoutes(app: FastifyInstance, ctx: TipsContext): void {
  const { s } = ctx;

  consoleRoute(app, ctx.s, {
    method: 'GET',
    url: '/console/tips/stats',
    access: 'tips.stats',
    handler: async (_input, request, reply) => {
      const canSet = request.staff!.permissions.has('settings.manage');
      const days = request.settings.tipRetentionDays;
      const saved = (request.query as Record<string, string>).saved === '1';
      return reply.page(h(StatsPage, { stats: await tipStats(ctx), retentionDays: days, retentionForm: canSet ? { values: { days: String(days) }, errors: {} } : undefined, saved }));
    },
  });

  consoleRoute(app, ctx.s, {
    method: 'POST',
    url: '/console/tips/retention',
    access: 'settings.manage',
    handler: async (_input, request, reply) => {
      const parsed = parseForm(retentionFormSchema, request.body);
      if (!parsed.ok) {
        const days = request.settings.tipRetentionDays;
        return reply.page(h(StatsPage, { stats: await tipStats(ctx), retentionDays: days, retentionForm: parsed }), 422);
      }
      await s.db.transaction().execute(async (trx) => {
        await s.settings.update({ tipRetentionDays: parsed.data.days }, trx);
        await s.audit(trx, { actor: actorOf(request.staff!.account), action: 'settings.tip_retention', detail: { days: parsed.data.days } });
      });
      s.settings.invalidate();
      return reply.redirect('/console/tips/stats?saved=1', 303);
    },
  });

  async function renderAccess(request: FastifyRequest, reply: FastifyReply, form = emptyForm, status = 200) {
    const query = request.query as Record<string, string>;
    const result = query.granted !== undefined ? { granted: Number(query.granted) || 0, unavailable: Number(query.unavailable) || 0 } : undefined;
    const canShareOwn = request.staff!.permissions.has('tips.read');
    return reply.page(h(AccessPage, { overview: await accessOverview(ctx), form, canShareOwn, result }), status);
  }

  consoleRoute(app, ctx.s, { method: 'GET', url: '/console/tips/access', access: 'tips.grant', handler: (_input, request, reply) => renderAccess(request, reply) });

  consoleRoute(app, ctx.s, {
    method: 'POST',
    url: '/console/tips/access',
    access: 'tips.grant',
    handler: async (_input, request, reply) => {
      const parsed = parseForm(grantAllFormSchema, request.body);
      // The recovery key is never written back into a page.
      const { recoveryKey: _never, ...values } = formValues(request.body);
      if (!parsed.ok) return renderAccess(request, reply, { values, errors: parsed.errors }, 422);
      const staff = { actor: actorOf(request.staff!.account), accountId: request.staff!.account.id, keyPair: request.staff?.keyPair };
      let source: Parameters<typeof grantTips>[2];
      if (parsed.data.source === 'own') {
        if (!request.staff!.permissions.has('tips.read')) throw new AppError('forbidden');
        if (!staff.keyPair) return unlock(reply, '/console/tips/access');
        source = { type: 'account', accountId: staff.accountId, keyPair: staff.keyPair };
      } else {
        const keyPair = await unlockOfficeKey(s, parsed.data.recoveryKey ?? '');
        const office = await officePublicKey(s);
        if (!keyPair || !office) {
          await s.db.transaction().execute((trx) => s.audit(trx, { actor: staff.actor, action: 'tip.recovery_key_refused' }));
          return renderAccess(request, reply, { values, errors: { recoveryKey: { key: 'tips.access.errors.recoveryKey' } } }, 422);
        }
        source = { type: 'office', officeKeyId: office.id, keyPair };
      }
      const outcome = await grantTips(ctx, staff.actor, source, parsed.data.accountId);
      if (source.type === 'office') source.keyPair.privateKey.fill(0);
      if (outcome.outcome === 'not_reader') return renderAccess(request, reply, { values, errors: { accountId: { key: 'tips.access.errors.notReader' } } }, 422);
      const granted = outcome.outcome === 'granted' ? outcome : { granted: 0, unavailable: 0 };
      return reply.redirect(`/console/tips/access?granted=${granted.granted}&unavailable=${granted.unavailable}`, 303);
    },
  });

}
