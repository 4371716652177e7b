import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../core/http/errors.ts';
import { parseForm } from '../../core/http/forms.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import type { AppServices } from '../../core/module.ts';
import { readerDirectory, shareOwnTips, tipAccess } from './access.service.ts';
import { dueSoon } from './retention.service.ts';
import {
  assignFormSchema,
  attachmentParamsSchema,
  duplicateFormSchema,
  grantFormSchema,
  noteFormSchema,
  queueQuerySchema,
  replyFormSchema,
  statusFormSchema,
  tagsFormSchema,
  tipParamsSchema,
} from './schema.ts';
import * as triage from './triage.service.ts';
import { HandoffPage } from './views/handoff-page.tsx';
import { QueuePage } from './views/queue-page.tsx';
import { TipPage } from './views/tip-page.tsx';
import { nextStatuses } from './workflow.ts';

/** Notices after a successful post, named in the redirect. */
const NOTICES = new Set(['status', 'assigned', 'tags', 'duplicate', 'note', 'reply', 'granted']);
/** Refusals after a post, named in the redirect and shown as these messages. */
const ERRORS: Record<string, string> = {
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
};
const errorCode = (key: string) => Object.entries(ERRORS).find(([, v]) => v === key)?.[0] ?? 'changed';

function tipId(request: FastifyRequest): string {
  const parsed = tipParamsSchema.safeParse(request.params);
  if (!parsed.success) throw notFound();
  return parsed.data.id;
}

/** Content needs the staff member's private key, unlocked with their password in this process. */
const unlock = (reply: FastifyReply, next: string) => reply.redirect(`/console/account/unlock?next=${encodeURIComponent(next)}`, 303);
const back = (reply: FastifyReply, id: string, outcome: { done?: string; error?: string }) =>
  reply.redirect(`/console/tips/${id}?${outcome.done ? `done=${outcome.done}` : `error=${errorCode(outcome.error!)}`}`, 303);

export function registerTipConsoleRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips',
    access: 'tips.read',
    handler: async ({ ctx }, request, reply) => {
      const query = queueQuerySchema.parse(request.query ?? {});
      const [result, readers, due] = await Promise.all([triage.listQueue(ctx, query), readerDirectory(ctx), dueSoon(ctx)]);
      return reply.page(
        h(QueuePage, {
          query,
          result,
          pageSize: triage.QUEUE_PAGE_SIZE,
          readers,
          languages: s.catalogs.locales,
          dueSoon: Object.fromEntries(due.map((d) => [d.id, d.deleteOn])),
        }),
      );
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/:id',
    access: 'tips.read',
    handler: async ({ staff, ctx }, request, reply) => {
      const id = tipId(request);
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}`);
      const detail = await triage.openTip(ctx, staff, id);
      if (!detail) throw notFound();
      const permissions = staff.permissions;
      const query = request.query as Record<string, string>;
      const due = detail.tip.status === 'closed' ? (await dueSoon(ctx)).find((d) => d.id === id) : undefined;
      return reply.page(
        h(TipPage, {
          detail,
          can: { triage: permissions.has('tips.triage'), grant: permissions.has('tips.grant') },
          next: nextStatuses(detail.tip.status),
          readers: await readerDirectory(ctx),
          access: permissions.has('tips.grant') ? await tipAccess(ctx, id) : undefined,
          deleteOn: due?.deleteOn,
          notice: NOTICES.has(query.done ?? '') ? query.done : undefined,
          error: ERRORS[query.error ?? ''],
        }),
      );
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/status',
    access: 'tips.triage',
    handler: async ({ ctx }, request, reply) => {
      const id = tipId(request);
      const parsed = parseForm(statusFormSchema, request.body);
      if (!parsed.ok) return back(reply, id, { error: 'tips.workflow.errors.skipped' });
      const problem = await triage.changeStatus(ctx, id, parsed.data);
      if (problem === 'tips.workflow.errors.gone') throw notFound();
      return back(reply, id, problem ? { error: problem } : { done: 'status' });
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/assign',
    access: 'tips.triage',
    handler: async ({ ctx }, request, reply) => {
      const id = tipId(request);
      const parsed = parseForm(assignFormSchema, request.body);
      const ok = parsed.ok && (await triage.assignTip(ctx, id, parsed.data.assigneeId || null));
      return back(reply, id, ok ? { done: 'assigned' } : { error: 'tips.detail.assigneeInvalid' });
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/:id/duplicate',
    access: 'tips.triage',
    handler: async ({ ctx }, request, reply) => {
      const id = tipId(request);
      const parsed = parseForm(duplicateFormSchema, request.body);
      const reference = parsed.ok ? parsed.data.duplicateOf.replace(/^T-/i, '') : '';
      const problem = parsed.ok ? await triage.markDuplicate(ctx, id, reference) : 'tips.detail.duplicateUnknown';
      if (problem === 'tips.workflow.errors.gone') throw notFound();
      return back(reply, id, problem ? { error: problem } : { done: 'duplicate' });
    },
  });

  /** Posts that write encrypted content: they need the key, and a working grant to this tip. */
  function contentRoute(url: string, access: 'tips.read' | 'tips.triage' | 'tips.grant', done: string, act: (request: FastifyRequest, id: string, staff: Staff, ctx: Context) => Promise<boolean | string>) {
    consoleRoute(app, s, {
      method: 'POST',
      url,
      access,
      handler: async ({ staff, ctx }, request, reply) => {
        const id = tipId(request);
        if (!staff.keyPair) return unlock(reply, `/console/tips/${id}`);
        const result = await act(request, id, staff, ctx);
        if (result === true) return back(reply, id, { done });
        return back(reply, id, { error: typeof result === 'string' ? result : 'tips.access.errors.noAccess' });
      },
    });
  }

  contentRoute('/console/tips/:id/tags', 'tips.triage', 'tags', async (request, id, staff, ctx) => {
    const parsed = parseForm(tagsFormSchema, request.body);
    return parsed.ok ? triage.setTags(ctx, staff, id, parsed.data.tags) : 'tips.detail.empty';
  });

  contentRoute('/console/tips/:id/notes', 'tips.read', 'note', async (request, id, staff, ctx) => {
    const parsed = parseForm(noteFormSchema, request.body);
    return parsed.ok ? triage.addNote(ctx, staff, id, parsed.data.note) : 'tips.detail.empty';
  });

  contentRoute('/console/tips/:id/reply', 'tips.read', 'reply', async (request, id, staff, ctx) => {
    const parsed = parseForm(replyFormSchema, request.body);
    return parsed.ok ? triage.replyToTipster(ctx, staff, id, parsed.data.reply) : 'tips.detail.empty';
  });

  contentRoute('/console/tips/:id/grant', 'tips.grant', 'granted', async (request, id, staff, ctx) => {
    const parsed = parseForm(grantFormSchema, request.body);
    if (!parsed.ok) return 'tips.access.errors.notReader';
    const outcome = await shareOwnTips(ctx, staff, parsed.data.accountId, id);
    if (outcome.outcome === 'not_reader') return 'tips.access.errors.notReader';
    return outcome.outcome === 'granted' ? true : 'tips.access.errors.noAccess';
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/:id/files/:fileId',
    access: 'tips.read',
    handler: async ({ staff, ctx }, request, reply) => {
      const params = attachmentParamsSchema.safeParse(request.params);
      if (!params.success) throw notFound();
      if (!staff.keyPair) return unlock(reply, `/console/tips/${params.data.id}`);
      const file = await triage.openAttachment(ctx, staff, params.data.id, params.data.fileId);
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
    handler: async ({ staff, ctx }, request, reply) => {
      const id = tipId(request);
      if (!staff.keyPair) return unlock(reply, `/console/tips/${id}/handoff`);
      const detail = await triage.openTip(ctx, staff, id, 'handoff');
      if (!detail || !detail.tip.referredTo) throw notFound();
      return reply.page(h(HandoffPage, { detail, officeName: request.settings.officeName, preparedBy: staff.account.displayName, preparedAt: ctx.clock.now().toISOString() }));
    },
  });
}
