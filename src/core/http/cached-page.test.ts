import zlib from 'node:zlib';
import Fastify from 'fastify';
import compress from '@fastify/compress';
import { describe, expect, it } from 'vitest';
import { compressPage, sendCachedPage } from './cached-page.ts';

describe('cached pages', () => {
  const html = `<!doctype html><p>${'trafficking hotline '.repeat(200)}</p>`;
  const page = compressPage(html);

  it('keeps brotli and gzip forms that decode to the page', () => {
    expect(zlib.brotliDecompressSync(page.br).toString()).toBe(html);
    expect(zlib.gunzipSync(page.gzip).toString()).toBe(html);
  });

  it('sends the encoding the client prefers, untouched by the compression plugin', async () => {
    const app = Fastify();
    await app.register(compress, { global: true, threshold: 1 });
    app.get('/', (request, reply) => sendCachedPage(request, reply, page));
    const cases: [string | undefined, string | undefined][] = [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      [undefined, undefined],
      ['identity', undefined],
    ];
    for (const [accept, expected] of cases) {
      const res = await app.inject({ url: '/', headers: accept ? { 'accept-encoding': accept } : {} });
      expect(res.headers['content-encoding']).toBe(expected);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      const body = expected === 'br' ? zlib.brotliDecompressSync(res.rawPayload) : expected === 'gzip' ? zlib.gunzipSync(res.rawPayload) : res.rawPayload;
      expect(body.toString()).toBe(html);
    }
    await app.close();
  });
});
