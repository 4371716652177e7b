import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { hmac } from '../../../core/crypto/server-secret.ts';
import { notFound } from '../../../core/http/errors.ts';
import { parseForm } from '../../../core/http/forms.ts';
import { limitKeyOf } from '../../../core/http/rate-limiter.ts';
import { type CachedPage, compressPageAsync, sendCachedPage } from '../../../core/http/cached-page.ts';
import { localizedRoute, pageContext } from '../../../core/http/site.ts';
import { renderDocument } from '../../../core/views/render.ts';
import { localePrefix } from '../../../core/i18n/locale.ts';
import { contextFor, PUBLIC } from '../../../core/context.ts';
import type { AppServices } from '../../../core/module.ts';
import { emptyForm, type FormState } from '../../../core/views/forms.tsx';
import { noticeText } from './notice-text.ts';
import { coverage, isCategory } from '../rules/rules.ts';
import { checkQuerySchema, idParamsSchema, type ListQuery, listQuerySchema, noticeQuerySchema, reportFormSchema } from '../schema.ts';
import * as service from './service.ts';
import { rulesOn } from '../rules/service.ts';
import { receiveReportForm } from '../reports/report-form.service.ts';
import { BusinessPage, ThanksPage } from './views/business-page.tsx';
import { CheckPage } from './views/check-page.tsx';
import { MapPage } from './views/map-page.tsx';
import { NoticePage } from './views/notice-page.tsx';

export type MapRouteOptions = { services: AppServices; photoKey: Uint8Array };

/** Anonymous reports per client per hour; the key is an HMAC of the address, which is never stored. */
const REPORT_LIMIT = { count: 30, windowMs: 3600_000 };

/** The anonymous report form's name for the core's form tokens. */
const REPORT_FORM = 'map1193.report';

/** The business in the path; anything that could not be one of our ids is a 404, never a query. */
const businessId = (request: FastifyRequest) => {
  const parsed = idParamsSchema.safeParse(request.params);
  if (!parsed.success) throw notFound();
  return parsed.data.id;
};

export function registerMapRoutes(app: FastifyInstance, { services, photoKey }: MapRouteOptions): void {
  const { catalogs, config } = services;
  const ctx = contextFor(services, PUBLIC);

  // The unfiltered first page is the same for every visitor of a locale: kept rendered and
  // compressed, keyed by the businesses' and the settings' versions, so it costs no query.
  const defaultPages = new Map<string, Promise<CachedPage>>();
  const readyPages = new Map<string, CachedPage>();
  const pageKey = (request: FastifyRequest, version: number) => `${request.locale}|${services.settings.version}|${version}`;
  const DEFAULT_QUERY = listQuerySchema.parse({});
  const isDefault = (q: ListQuery) => !q.q && !q.category && !q.city && !q.status && q.page === 1;

  async function renderList(request: FastifyRequest, query: ListQuery) {
    const [result, cities] = await Promise.all([service.listBusinesses(ctx, query, query.page), service.snapshotCities(ctx)]);
    const { lat, lng, zoom } = request.settings.mapCenter;
    const map = { tileUrl: config.tileUrl, attribution: config.tileAttribution, lat, lng, zoom };
    return h(MapPage, { query, result, cities, map });
  }

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193',
    handler: async (request, reply) => {
      // Most visits have no query string: they skip parsing one.
      const query = request.url.includes('?') ? listQuerySchema.parse(request.query ?? {}) : DEFAULT_QUERY;
      if (!isDefault(query)) return reply.page(await renderList(request, query));
      const fresh = service.freshVersion(ctx);
      const ready = fresh === undefined ? undefined : readyPages.get(pageKey(request, fresh));
      if (ready) return sendCachedPage(request, reply, ready);
      const key = pageKey(request, await service.businessesVersion(ctx));
      let page = defaultPages.get(key);
      if (page === undefined) {
        // Older versions are never asked for again.
        if (defaultPages.size >= 20) {
          defaultPages.clear();
          readyPages.clear();
        }
        page = renderList(request, query).then((element) => compressPageAsync(renderDocument(element, pageContext(request, services.site))));
        defaultPages.set(key, page);
        page.then((done) => readyPages.set(key, done), () => defaultPages.delete(key));
      }
      return sendCachedPage(request, reply, await page);
    },
  });

  async function renderBusiness(id: string, form: FormState, reportId: string) {
    const { business, history, rule } = await service.businessPage(ctx, id);
    return h(BusinessPage, { business, history, rule, form, reportId });
  }

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193/businesses/:id',
    formToken: REPORT_FORM,
    handler: async (request, reply) => reply.page(await renderBusiness(businessId(request), emptyForm, randomUUID())),
  });

  localizedRoute(app, services, {
    method: 'POST',
    path: '/map1193/businesses/:id/report',
    // A note may quote a person: a failure is logged without the values the database refused.
    confidential: true,
    formToken: REPORT_FORM,
    formTokenFailure: 'handle',
    params: idParamsSchema,
    upload: { maxFiles: 1 },
    body: reportFormSchema,
    handler: async ({ params, form, files }, request, reply) => {
      // An IPv6 client is limited by its /64: one device can hold any number of its addresses.
      const limit = { key: hmac(services.secret, 'map1193.report', limitKeyOf(request.ip)), ...REPORT_LIMIT };
      const answer = await receiveReportForm(ctx, { businessId: params.id, form, files, photoKey, limit, stale: !request.formTokenValid, reporter: { channel: 'public' } });
      if (!answer.ok) return reply.page(await renderBusiness(params.id, answer.form, answer.reportId), 422);
      return reply.redirect(`${localePrefix(request.locale, catalogs.defaultLocale)}/map1193/businesses/${answer.businessId}/thanks`, 303);
    },
  });

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193/businesses/:id/thanks',
    handler: async (request, reply) => {
      const { business } = await service.businessPage(ctx, businessId(request));
      return reply.page(h(ThanksPage, { business }));
    },
  });

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193/check',
    handler: async (request, reply) => {
      // The questions are a GET form: its answers are read like a posted form's, messages and all.
      const parsed = parseForm(checkQuerySchema, request.query);
      if (parsed.values.category === undefined) return reply.page(h(CheckPage, { step: 'category', form: emptyForm }));
      if (!parsed.ok) {
        const category = parsed.values.category;
        if (parsed.errors.category || typeof category !== 'string' || !isCategory(category)) return reply.page(h(CheckPage, { step: 'category', form: parsed }), 422);
        const rules = await rulesOn(ctx, ctx.clock.now());
        const exception = rules.categories.get(category)?.exception ?? 'certified_practitioners';
        return reply.page(h(CheckPage, { step: 'question', form: parsed, category, exception }), 422);
      }
      const { category, answer } = parsed.data;
      const rules = await rulesOn(ctx, ctx.clock.now());
      const exception = rules.categories.get(category)?.exception;
      if (exception && !answer) return reply.page(h(CheckPage, { step: 'question', form: emptyForm, category, exception }));
      // Bars are covered when they hold the licence; massage businesses are exempt when every practitioner is certified.
      const exceptionApplies = exception === 'on_sale_general' ? answer === 'no' : answer === 'yes';
      return reply.page(h(CheckPage, { step: 'result', category, result: coverage(rules, category, exceptionApplies) }));
    },
  });

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193/notice',
    handler: async (request, reply) => {
      const { lang } = noticeQuerySchema.parse(request.query ?? {});
      const rules = await rulesOn(ctx, ctx.clock.now());
      if (!rules.notice) throw notFound();
      const thirdLanguage = request.settings.noticeThirdLanguage || 'Chinese';
      const third = noticeText(thirdLanguage);
      const all = [noticeText('English')!, noticeText('Spanish')!, ...(third ? [third] : [])];
      const sheets = lang === 'all' ? all : lang === 'en' ? [all[0]!] : lang === 'es' ? [all[1]!] : third ? [third] : [];
      return reply.page(h(NoticePage, { rule: rules.notice, lang, sheets, thirdLanguage, thirdAvailable: Boolean(third) }));
    },
  });
}
