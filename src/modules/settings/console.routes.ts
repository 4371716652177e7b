import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../core/module.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { checklistNoticeQuery, logoFormSchema, openTipLineSchema, settingsFormSchema, settingsFormValues, settingsNoticeQuery } from './schema.ts';
import { openTipLineEarly, sendTestEmail, setupChecklist } from './checklist.service.ts';
import { ChecklistPage } from './views/checklist-page.tsx';
import { MAX_LOGO_BYTES, receiveLogoForm } from './logo.service.ts';
import { officeSettings, saveOfficeSettings } from './service.ts';
import { SettingsPage } from './views/settings-page.tsx';

export function registerSettingsRoutes(app: FastifyInstance, s: AppServices): void {
  const available = s.catalogs.locales;

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/settings',
    access: 'settings.manage',
    query: settingsNoticeQuery,
    handler: async ({ query, ctx }, _request, reply) => {
      const settings = await officeSettings(ctx);
      return reply.page(h(SettingsPage, { form: { values: settingsFormValues(settings), errors: {} }, available, demo: settings.demo, notice: query.notice, logo: settings.letterheadLogo }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/settings',
    access: 'settings.manage',
    body: settingsFormSchema(available),
    handler: async ({ form, ctx }, _request, reply) => {
      if (!form.ok) {
        const { _csrf: _, ...values } = form.values;
        const settings = await officeSettings(ctx);
        return reply.page(h(SettingsPage, { form: { values, errors: form.errors }, available, demo: settings.demo, logo: settings.letterheadLogo }), 422);
      }
      const changed = await saveOfficeSettings(ctx, form.data);
      return reply.redirect(`/console/settings?notice=${changed.length ? 'saved' : 'unchanged'}`, 303);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/settings/checklist',
    access: 'settings.manage',
    query: checklistNoticeQuery,
    handler: async ({ query, ctx }, _request, reply) => reply.page(h(ChecklistPage, { checklist: await setupChecklist(ctx), notice: query.notice })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/settings/tip-line',
    access: 'settings.manage',
    body: openTipLineSchema,
    handler: async ({ form, ctx }, _request, reply) => {
      if (!form.ok) {
        const { _csrf: _, ...values } = form.values;
        return reply.page(h(ChecklistPage, { checklist: await setupChecklist(ctx), tipLineForm: { values, errors: form.errors } }), 422);
      }
      await openTipLineEarly(ctx);
      return reply.redirect('/console/settings/checklist?notice=tipLineOpened', 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/settings/test-email',
    access: 'settings.manage',
    handler: async ({ staff, ctx }, _request, reply) => {
      await sendTestEmail(ctx, staff);
      return reply.redirect('/console/settings/checklist?notice=testEmail', 303);
    },
  });
}

/** The letterhead logo upload. Registered where multipart parsing is in scope. */
export function registerLogoRoute(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/settings/logo',
    access: 'settings.manage',
    upload: { maxFiles: 1, maxFileBytes: MAX_LOGO_BYTES },
    body: logoFormSchema,
    handler: async ({ form, files, ctx }, _request, reply) => {
      const answer = await receiveLogoForm(ctx, { remove: form.ok && form.data.remove, files });
      if (answer.ok) return reply.redirect(`/console/settings?notice=${answer.notice}`, 303);
      const settings = await officeSettings(ctx);
      const page = { form: { values: settingsFormValues(settings), errors: {} }, available: s.catalogs.locales, demo: settings.demo, logo: settings.letterheadLogo, logoForm: { values: {}, errors: answer.errors } };
      return reply.page(h(SettingsPage, page), 422);
    },
  });
}
