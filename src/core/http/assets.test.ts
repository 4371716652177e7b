import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAssets } from './assets.ts';

// Two servers over the same folder: one answers small files from memory, the other (limit 0)
// leaves every request to @fastify/static on disk, as before. They must answer alike.
let dir: string;
let fromMemory: FastifyInstance;
let fromDisk: FastifyInstance;

const css = 'body { color: #222; }\n'.repeat(200);
const js = 'document.querySelector("a").addEventListener("click", () => location.replace("https://weather.example"));\n';
const big = 'x'.repeat(64 * 1024);

async function server(maxBytes: number): Promise<FastifyInstance> {
  const app = Fastify();
  // As in the app: compression registered before the assets, so it sees their responses too.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await registerAssets(app, dir, { maxBytes });
  await app.ready();
  return app;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-assets-'));
  const assets = path.join(dir, 'assets');
  fs.mkdirSync(assets);
  fs.writeFileSync(path.join(assets, 'app-0123456789.css'), css);
  fs.writeFileSync(path.join(assets, 'app-0123456789.css.br'), brotliCompressSync(css));
  fs.writeFileSync(path.join(assets, 'app-0123456789.css.gz'), gzipSync(css));
  fs.writeFileSync(path.join(assets, 'quick-exit-0123456789.js'), js);
  fs.writeFileSync(path.join(assets, 'quick-exit-0123456789.js.gz'), gzipSync(js));
  fs.writeFileSync(path.join(assets, 'marker-ABCDEFGH.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  fs.writeFileSync(path.join(assets, 'manifest.json'), '{"app.css":"app-0123456789.css"}');
  fs.writeFileSync(path.join(assets, 'big-0123456789.js'), big);
  fromMemory = await server(32 * 1024);
  fromDisk = await server(0);
});

afterAll(async () => {
  await fromMemory?.close();
  await fromDisk?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const files = ['app-0123456789.css', 'quick-exit-0123456789.js', 'marker-ABCDEFGH.png', 'manifest.json', 'big-0123456789.js'];
const encodings = [undefined, 'br, gzip, deflate', 'gzip', 'br', 'gzip;q=1, br;q=0.5', 'br;q=0, gzip;q=0.2', '*', 'deflate', 'identity'];

function withoutDate(headers: Record<string, unknown>) {
  const { date: _date, ...rest } = headers;
  return rest;
}

describe('hashed assets from memory', () => {
  it('answers with the same status, headers and bytes as the files on disk, for every encoding', async () => {
    for (const file of files) {
      for (const acceptEncoding of encodings) {
        for (const method of ['GET', 'HEAD'] as const) {
          const request = { method, url: `/assets/${file}`, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} };
          const [memory, disk] = await Promise.all([fromMemory.inject(request), fromDisk.inject(request)]);
          const what = `${method} ${file} with accept-encoding ${acceptEncoding}`;
          expect(memory.statusCode, what).toBe(200);
          expect(memory.statusCode, what).toBe(disk.statusCode);
          expect(withoutDate(memory.headers), what).toEqual(withoutDate(disk.headers));
          expect(memory.rawPayload.equals(disk.rawPayload), what).toBe(true);
        }
      }
    }
    const br = await fromMemory.inject({ url: '/assets/app-0123456789.css', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.rawPayload.equals(fs.readFileSync(path.join(dir, 'assets', 'app-0123456789.css.br')))).toBe(true);
  });

  it('reads no file per request: the small files are still served once gone from disk, the big one is not', async () => {
    const app = await server(32 * 1024);
    try {
      const moved = fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-assets-moved-'));
      const assets = path.join(dir, 'assets');
      fs.cpSync(assets, moved, { recursive: true });
      fs.rmSync(assets, { recursive: true });
      try {
        for (const [file, acceptEncoding] of [['app-0123456789.css', 'br'], ['app-0123456789.css', 'gzip'], ['app-0123456789.css', undefined], ['quick-exit-0123456789.js', 'gzip']] as const) {
          const res = await app.inject({ url: `/assets/${file}`, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
          expect(res.statusCode, `${file} ${acceptEncoding}`).toBe(200);
        }
        expect((await app.inject({ url: '/assets/big-0123456789.js' })).statusCode).toBe(404);
      } finally {
        fs.cpSync(moved, assets, { recursive: true });
        fs.rmSync(moved, { recursive: true, force: true });
      }
    } finally {
      await app.close();
    }
  });

  it('answers 404 for a missing asset and keeps the static checks for odd paths, as on disk', async () => {
    for (const url of ['/assets/missing-0123456789.css', '/assets/app-0123456789.CSS', '/assets/../package.json', '/assets/app-0123456789.css.br/x', '/assets/']) {
      const [memory, disk] = await Promise.all([fromMemory.inject({ url }), fromDisk.inject({ url })]);
      expect(memory.statusCode, url).toBe(disk.statusCode);
      expect(memory.statusCode, url).not.toBe(200);
    }
    expect((await fromMemory.inject({ url: '/assets/missing-0123456789.css' })).statusCode).toBe(404);
  });

  it('leaves ranges and revalidation to the static files, with the same answers', async () => {
    const plain = await fromDisk.inject({ url: '/assets/app-0123456789.css' });
    for (const headers of [{ range: 'bytes=0-9' }, { 'if-none-match': String(plain.headers.etag) }, { 'if-modified-since': String(plain.headers['last-modified']) }]) {
      const [memory, disk] = await Promise.all([
        fromMemory.inject({ url: '/assets/app-0123456789.css', headers }),
        fromDisk.inject({ url: '/assets/app-0123456789.css', headers }),
      ]);
      expect(memory.statusCode).toBe(disk.statusCode);
      expect(withoutDate(memory.headers)).toEqual(withoutDate(disk.headers));
      expect(memory.rawPayload.equals(disk.rawPayload)).toBe(true);
    }
  });
});
