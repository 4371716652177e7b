import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import { notFound } from '../../core/http/errors.ts';
import type { AppServices } from '../../core/module.ts';
import { readerDirectory, shareOwnTips, tipAccess } from './access.service.ts';
import { openTipContact } from './contact.service.ts';
import { dueSoon } from './retention.service.ts';
import {
  assignFormSchema,
  attachmentParamsSchema,
  contactFormSchema,
  duplicateFormSchema,
  grantFormSchema,
  noteFormSchema,
  queueQuerySchema,
  replyFormSchema,
  spamFlagFormSchema,
  statusFormSchema,
  tagsFormSchema,
  TIP_REFUSALS,
  type TipNotice,
  tipPageQuerySchema,
  tipParamsSchema,
  type TipRefusal,
} from './schema.ts';
import { flagSpam } from './spam.service.ts';
import { tipTimeline } from './timeline.service.ts';
import * as triage from './triage.service.ts';
import { HandoffPage } from './views/handoff-page.tsx';
import { QueuePage } from './views/queue-page.tsx';
import { TipPage } from './views/tip-page.tsx';
import { nextStatuses } from './workflow.ts';

/** The message shown for each refusal named in a redirect. */
const REFUSALS: Record<TipRefusal, string> = {
  skipped: 'tips.workflow.errors.skipped',
  agency: 'tips.workflow.errors.agency',
  disposition: 'tips.workflow.errors.disposition',
  actionableNeedsWork: 'tips.workflow.errors.actionableNeedsWork',
  changed: 'tips.workflow.errors.changed',
  duplicateUnknown: 'tips.detail.duplicateUnknown',
  empty: 'tips.detail.empty',
  assignee: 'tips.detail.assigneeInvalid',
  noAccess: 'tips.access.errors.noAccess',
  notReader: 'tips.access.errors.notReader',
  reason: 'tips.errors.reason',
};
/** Services answer with a message key; the redirect names it by its short code. */
const refusalOf = (key: string) => TIP_REFUSALS.find((code) => REFUSALS[code] === key) ?? 'changed';

/** Content needs the staff member's private key, unlocked with their password this session. */
const unlock = (reply: FastifyReply, next: string) => reply.redirect(`/console/account/unlock?next=${encodeURIComponent(next)}`, 303);
const back = (reply: FastifyReply, id: string, outcome: { done: TipNotice } | { error: string }) =>
  reply.redirect(`/console/tips/${id}?${'done' in outcome ? `done=${outcome.done}` : `error=${refusalOf(outcome.error)}`}`, 303);
/** After a post that writes encrypted content: true when written, else why not (a message key). */
const written = (reply: FastifyReply, id: string, done: TipNotice, result: boolean | string) =>
  back(reply, id, result === true ? { done } : { error: typeof result === 'string' ? result : 'tips.access.errors.noAccess' });

/** A tip's page, for what this staff member may do on it. */
async function tipPage(reply: FastifyReply, ctx: Context, staff: Staff, detail: triage.TipDetail, shown: { notice?: TipNotice; error?: string }) {
  const can = { triage: staff.permissions.has('tips.triage'), grant: staff.permissions.has('tips.grant'), identity: staff.permissions.has('tips.identity') };
  const id = detail.tip.id;
  const due = detail.tip.status === 'closed' ? (await dueSoon(ctx)).find((d) => d.id === id) : undefined;
  return reply.page(
    h(TipPage, {
      detail,
      can,
      next: nextStatuses(detail.tip.status),
      readers: await readerDirectory(ctx),
      access: can.grant ? await tipAccess(ctx, id) : undefined,
      deleteOn: due?.deleteOn,
      // Its history only for someone the tip opened for, and only its own rows.
      timeline: detail.readable ? await tipTimeline(ctx, id) : undefined,
      ...shown,
    }),
  );
}

/** The queue, a tip's page and its posts, its files and the handoff sheet. */
export function registerTipConsoleRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips',
    access: 'tips.read',
    query: queueQuerySchema,
    handler: async ({ query, ctx }, _request, reply) => {
      const [result, readers, due] = await Promise.all([triage.listQueue(ctx, query), readerDirectory(ctx), dueSoon(ctx)]);
      return reply.page(
        h(QueuePage, {
          query,
          result,
          pageSize: triage.QUEUE_PAGE_SIZE,
          readers,
          languages: s.catalogs.locales,
          dueSoon: Object.fromEntries(due.map((d) => [d.id, d.deleteOn])),
          now: ctx.clock.now().toISOString(),
        }),
      );
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/:id',
    access: 'tips.read',
    params: tipParamsSchema,
    query: tipPageQuerySchema,
    handler: async ({ params: { id }, query, staff, ctx }, _request, reply) => {
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}`);
      const detail = await triage.openTip(ctx, staff, id);
      if (!detail) throw notFound();
      return tipPage(reply, ctx, staff, detail, { notice: query.done, error: query.error && REFUSALS[query.error] });
    },
  });

  // A post, not a link: the reason travels in the body, and the details are never in a URL.
  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/contact',
    access: 'tips.identity',
    params: tipParamsSchema,
    body: contactFormSchema,
    handler: async ({ params: { id }, form, staff, ctx }, _request, reply) => {
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}`);
      if (!form.ok) return back(reply, id, { error: 'tips.errors.reason' });
      const opened = await openTipContact(ctx, staff, id, form.data.reason);
      if (opened.outcome === 'not_found') throw notFound();
      if (opened.outcome === 'no_access') return back(reply, id, { error: 'tips.access.errors.noAccess' });
      return tipPage(reply, ctx, staff, opened.detail, {});
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/spam',
    access: 'tips.triage',
    params: tipParamsSchema,
    body: spamFlagFormSchema,
    handler: async ({ params: { id }, ctx }, _request, reply) => {
      if (!(await flagSpam(ctx, id))) throw notFound();
      return back(reply, id, { done: 'spamFlagged' });
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/status',
    access: 'tips.triage',
    params: tipParamsSchema,
    body: statusFormSchema,
    handler: async ({ params: { id }, form, ctx }, _request, reply) => {
      if (!form.ok) return back(reply, id, { error: 'tips.workflow.errors.skipped' });
      const problem = await triage.changeStatus(ctx, id, form.data);
      if (problem === 'tips.workflow.errors.gone') throw notFound();
      return back(reply, id, problem ? { error: problem } : { done: 'status' });
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/assign',
    access: 'tips.triage',
    params: tipParamsSchema,
    body: assignFormSchema,
    handler: async ({ params: { id }, form, ctx }, _request, reply) => {
      const ok = form.ok && (await triage.assignTip(ctx, id, form.data.assigneeId || null));
      return back(reply, id, ok ? { done: 'assigned' } : { error: 'tips.detail.assigneeInvalid' });
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/duplicate',
    access: 'tips.triage',
    params: tipParamsSchema,
    body: duplicateFormSchema,
    handler: async ({ params: { id }, form, ctx }, _request, reply) => {
      const problem = form.ok ? await triage.markDuplicate(ctx, id, form.data.duplicateOf.replace(/^T-/i, '')) : 'tips.detail.duplicateUnknown';
      if (problem === 'tips.workflow.errors.gone') throw notFound();
      return back(reply, id, problem ? { error: problem } : { done: 'duplicate' });
    },
  });

  // Posts that write encrypted content: they need the key, and a working grant to this tip.
  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/tags',
    access: 'tips.triage',
    params: tipParamsSchema,
    body: tagsFormSchema,
    handler: async ({ params: { id }, form, staff, ctx }, _request, reply) => {
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}`);
      return written(reply, id, 'tags', form.ok ? await triage.setTags(ctx, staff, id, form.data.tags) : 'tips.detail.empty');
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/notes',
    access: 'tips.read',
    params: tipParamsSchema,
    body: noteFormSchema,
    handler: async ({ params: { id }, form, staff, ctx }, _request, reply) => {
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}`);
      return written(reply, id, 'note', form.ok ? await triage.addNote(ctx, staff, id, form.data.note) : 'tips.detail.empty');
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/reply',
    access: 'tips.read',
    params: tipParamsSchema,
    body: replyFormSchema,
    handler: async ({ params: { id }, form, staff, ctx }, _request, reply) => {
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}`);
      return written(reply, id, 'reply', form.ok ? await triage.replyToTipster(ctx, staff, id, form.data.reply) : 'tips.detail.empty');
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/grant',
    access: 'tips.grant',
    params: tipParamsSchema,
    body: grantFormSchema,
    handler: async ({ params: { id }, form, staff, ctx }, _request, reply) => {
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}`);
      if (!form.ok) return back(reply, id, { error: 'tips.access.errors.notReader' });
      const { outcome } = await shareOwnTips(ctx, staff, form.data.accountId, id);
      if (outcome === 'granted') return back(reply, id, { done: 'granted' });
      return back(reply, id, { error: outcome === 'not_reader' ? 'tips.access.errors.notReader' : 'tips.access.errors.noAccess' });
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/:id/files/:fileId',
    access: 'tips.read',
    params: attachmentParamsSchema,
    handler: async ({ params, staff, ctx }, _request, reply) => {
      if (!staff.keyPair) return unlock(reply, `/console/tips/${params.id}`);
      const file = await triage.openAttachment(ctx, staff, params.id, params.fileId);
      if (!file) throw notFound();
      const inline = file.meta.mime.startsWith('image/');
      return reply
        .type(file.meta.mime)
        .header('cache-control', 'no-store')
        .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.meta.name)}`)
        // A file from the public is never allowed to run anything, even if a browser sniffed it as a page.
        .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
        .send(file.bytes);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/:id/handoff',
    access: 'tips.read',
    params: tipParamsSchema,
    handler: async ({ params: { id }, staff, ctx }, request, reply) => {
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}/handoff`);
      const detail = await triage.openTip(ctx, staff, id, 'handoff');
      if (!detail || !detail.tip.referredTo) throw notFound();
      return reply.page(h(HandoffPage, { detail, officeName: request.settings.officeName, preparedBy: staff.account.displayName, preparedAt: ctx.clock.now().toISOString() }));
    },
  });
}
