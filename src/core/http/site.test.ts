import multipart from '@fastify/multipart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { multipart as multipartBody, type Part } from '../../../test/helpers/multipart.ts';
import type { Context } from '../context.ts';
import { PUBLIC } from '../context.ts';
import { issueFormToken } from './form-token.ts';
import { localizedRoute, publicRoute } from './site.ts';

const FORM = 'site-test';
const contexts: Context[] = [];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    beforeReady: (app) => {
      const s = app.services;
      localizedRoute(app, s, {
        method: 'GET',
        path: '/typed/:n',
        params: z.object({ n: z.coerce.number().int().min(1) }),
        query: z.object({ sort: z.enum(['old', 'new']).catch('new') }),
        handler: async ({ params, query, form, ctx }, request, reply) => {
          contexts.push(ctx);
          return reply.send({ n: params.n, sort: query.sort, form: form ?? null, locale: request.locale, actor: ctx.actor });
        },
      });
      localizedRoute(app, s, {
        method: 'GET',
        path: '/typed-plain',
        handler: async ({ ctx }, _request, reply) => {
          contexts.push(ctx);
          return reply.send({ actor: ctx.actor });
        },
      });
      localizedRoute(app, s, {
        method: 'POST',
        path: '/typed-form',
        formToken: FORM,
        body: z.object({ name: z.string().trim().min(1) }),
        handler: async ({ form }, _request, reply) => reply.send(form),
      });
      publicRoute(app, s, {
        method: 'GET',
        url: '/typed-once',
        query: z.object({ token: z.string().optional().catch(undefined) }),
        handler: async ({ query }, request, reply) => reply.send({ token: query.token ?? null, locale: request.locale }),
      });
      app.register(async (scope) => {
        await scope.register(multipart, { limits: { fileSize: 1024 } });
        for (const failure of ['reject', 'handle'] as const) {
          localizedRoute(scope, s, {
            method: 'POST',
            path: `/typed-upload/${failure}`,
            formToken: FORM,
            formTokenFailure: failure,
            upload: { maxFiles: 1 },
            body: z.object({ note: z.string().max(20) }),
            handler: async ({ form, files, tooManyFiles }, request, reply) =>
              reply.send({ tokenValid: request.formTokenValid, form, files: files.map((f) => f.bytes.toString()), tooManyFiles }),
          });
        }
      });
    },
  });
});
afterAll(async () => t.close());

const token = () => issueFormToken(t.app.services.secret, FORM, t.clock.now());

describe('typed public routes', () => {
  it('registers the route in every locale and hands the handler parsed params and query', async () => {
    const en = await t.app.inject({ url: '/typed/7?sort=old' });
    expect(en.statusCode).toBe(200);
    expect(en.json()).toEqual({ n: 7, sort: 'old', form: null, locale: 'en', actor: PUBLIC });
    const es = await t.app.inject({ url: '/es/typed/3' });
    expect(es.json()).toMatchObject({ n: 3, sort: 'new', locale: 'es' });
  });

  it('answers params that do not parse with 404 and reads a bad query as its defaults', async () => {
    expect((await t.app.inject({ url: '/typed/zero' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/es/typed/0' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/typed/2?sort=sideways' })).json()).toMatchObject({ n: 2, sort: 'new' });
  });

  it('acts as the public, with one context shared by every request and route', async () => {
    const before = contexts.length;
    await t.app.inject({ url: '/typed/1' });
    await t.app.inject({ url: '/es/typed/1' });
    const plain = await t.app.inject({ url: '/typed-plain' });
    expect(plain.json()).toEqual({ actor: PUBLIC });
    const seen = contexts.slice(before);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]!.actor).toBe(PUBLIC);
  });

  it('parses a posted form once its token holds, and refuses a post without one', async () => {
    const ok = await t.app.inject({ method: 'POST', url: '/typed-form', payload: { _csrf: token(), name: '  Ana ' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, data: { name: 'Ana' } });
    const bad = await t.app.inject({ method: 'POST', url: '/es/typed-form', payload: { _csrf: token(), name: ' ' } });
    expect(bad.json()).toMatchObject({ ok: false, errors: { name: { key: 'common.form.required' } } });
    expect((await t.app.inject({ method: 'POST', url: '/typed-form', payload: { name: 'Ana' } })).statusCode).toBe(403);
  });

  it('registers a one-URL route in no locale but the path’s', async () => {
    expect((await t.app.inject({ url: '/typed-once?token=abc' })).json()).toEqual({ token: 'abc', locale: 'en' });
    expect((await t.app.inject({ url: '/typed-once?token=a&token=b' })).json()).toEqual({ token: null, locale: 'en' });
    expect((await t.app.inject({ url: '/es/typed-once' })).statusCode).toBe(404);
  });
});

describe('typed public uploads', () => {
  const upload = (path: string, csrf: string | undefined, files = 1) => {
    const parts: Part[] = csrf === undefined ? [] : [['_csrf', csrf]];
    for (let i = 0; i < files; i++) parts.push(['file', { filename: `f${i}.txt`, type: 'text/plain', data: Buffer.from(`bytes ${i}`) }]);
    parts.push(['note', 'hello']);
    return t.app.inject({ method: 'POST', url: path, ...multipartBody(parts) });
  };

  it('reads the multipart body and its files once the token holds', async () => {
    const res = await upload('/typed-upload/reject', token());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ tokenValid: true, form: { ok: true, data: { note: 'hello' }, values: { _csrf: expect.any(String), note: 'hello' } }, files: ['bytes 0'], tooManyFiles: false });
    const many = await upload('/es/typed-upload/reject', token(), 2);
    expect(many.json()).toMatchObject({ files: ['bytes 0'], tooManyFiles: true });
  });

  it('checks the token after reading the body: refused, or handed to the route to keep what was typed', async () => {
    expect((await upload('/typed-upload/reject', undefined)).statusCode).toBe(403);
    expect((await upload('/typed-upload/reject', 'nonsense.token')).statusCode).toBe(403);
    const stale = issueFormToken(t.app.services.secret, FORM, new Date(t.clock.now().getTime() - 7 * 3600_000));
    expect((await upload('/typed-upload/reject', stale)).statusCode).toBe(403);
    const otherForm = issueFormToken(t.app.services.secret, 'another-form', t.clock.now());
    expect((await upload('/typed-upload/reject', otherForm)).statusCode).toBe(403);
    const handled = await upload('/typed-upload/handle', 'nonsense.token');
    expect(handled.statusCode).toBe(200);
    expect(handled.json()).toMatchObject({ tokenValid: false, form: { ok: true, data: { note: 'hello' } }, files: ['bytes 0'] });
    expect((await upload('/typed-upload/handle', token())).json()).toMatchObject({ tokenValid: true });
  });

  it('refuses to register an upload that carries no form token or is not a post', () => {
    const s = t.app.services;
    const route = { method: 'POST' as const, path: '/never', upload: { maxFiles: 1 }, handler: async () => undefined };
    expect(() => localizedRoute(t.app, s, route)).toThrow(/form token/);
    expect(() => publicRoute(t.app, s, { ...route, url: '/never', method: 'GET', formToken: FORM })).toThrow(/form token/);
  });
});
