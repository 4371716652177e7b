import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type AssetManifest = Readonly<Record<string, string>>;

/** Maps `app.css` to `/assets/app-3f9c2a1b.css` from the manifest the build writes. */
export function loadAssetManifest(publicDir: string): AssetManifest {
  const file = path.join(publicDir, 'assets', 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run "npm run build" to build the stylesheet and scripts`);
  }
  return Object.freeze(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);
}

export function assetUrl(manifest: AssetManifest, name: string): string {
  const hashed = manifest[name];
  if (!hashed) throw new Error(`unknown asset ${name}`);
  return `/assets/${hashed}`;
}

/** A file at most this big is kept in memory with its .br and .gz forms; a bigger one is read from disk per request. */
export const MEMORY_ASSET_MAX_BYTES = 512 * 1024;

type Variant = { body: Buffer; headers: Readonly<Record<string, string>> };
/** One file's forms, keyed by content coding (`identity`, `br`, `gzip`). */
type MemoryAsset = Partial<Record<'identity' | 'br' | 'gzip', Variant>>;

/** What @fastify/send answers for these extensions (mime 3, with its UTF-8 charset rule); other files stay on disk. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

const ENCODING_SUFFIX = { br: '.br', gzip: '.gz' } as const;

/** Cache-Control the static files carry: the names hold a content hash, so a URL never changes. */
const ASSET_MAX_AGE_SECONDS = 365 * 24 * 3600;

function variantOf(file: string, contentType: string, encoding?: 'br' | 'gzip'): Variant {
  const body = fs.readFileSync(file);
  const stat = fs.statSync(file);
  // The same headers, in the same form, as @fastify/send and @fastify/static give the file.
  const headers: Record<string, string> = {
    'accept-ranges': 'bytes',
    'cache-control': `public, max-age=${ASSET_MAX_AGE_SECONDS}, immutable`,
    'last-modified': stat.mtime.toUTCString(),
    etag: `W/"${stat.size.toString(16)}-${stat.mtime.getTime().toString(16)}"`,
    'content-type': contentType,
    'content-length': String(body.length),
    vary: 'accept-encoding',
  };
  if (encoding) headers['content-encoding'] = encoding;
  return { body, headers: Object.freeze(headers) };
}

/** Reads the small hashed files of `dir` (top level only, as the build writes them) into memory. */
export function loadMemoryAssets(dir: string, maxBytes = MEMORY_ASSET_MAX_BYTES): ReadonlyMap<string, MemoryAsset> {
  const assets = new Map<string, MemoryAsset>();
  if (!fs.existsSync(dir)) return assets;
  const names = new Set(fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name));
  for (const name of names) {
    const contentType = CONTENT_TYPES[path.extname(name)];
    if (!contentType || !/^[A-Za-z0-9._-]+$/.test(name)) continue;
    const file = path.join(dir, name);
    if (fs.statSync(file).size > maxBytes) continue;
    const asset: MemoryAsset = { identity: variantOf(file, contentType) };
    for (const encoding of ['br', 'gzip'] as const) {
      const compressed = name + ENCODING_SUFFIX[encoding];
      if (names.has(compressed) && fs.statSync(path.join(dir, compressed)).size <= maxBytes) {
        asset[encoding] = variantOf(path.join(dir, compressed), contentType, encoding);
      }
    }
    assets.set(name, asset);
  }
  return assets;
}

/**
 * The coding @fastify/static would pick among the forms there are: highest q first, then br
 * before gzip; `*` counts as gzip; none acceptable means the file itself. Undefined when the
 * client takes a coding this file has no precompressed form of: on disk, @fastify/compress would
 * then compress the file's stream, so a text file is left to that path to answer the same.
 */
export function pickEncoding(acceptEncoding: string | undefined, available: MemoryAsset): keyof MemoryAsset | undefined {
  if (!acceptEncoding) return 'identity';
  let best: 'br' | 'gzip' | undefined;
  let bestQuality = 0;
  let missing = false;
  for (const part of acceptEncoding.toLowerCase().replace(/\*/g, 'gzip').split(',')) {
    const [token = '', ...params] = part.split(';').map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    const quality = q === undefined ? 1 : Number.parseFloat(q.slice(2)) || 0;
    if ((token !== 'br' && token !== 'gzip') || quality <= 0) continue;
    if (!available[token]) {
      missing = true;
      continue;
    }
    if (quality > bestQuality || (quality === bestQuality && token === 'br')) {
      best = token;
      bestQuality = quality;
    }
  }
  if (best) return best;
  return missing && COMPRESSIBLE.test(available.identity!.headers['content-type']!) ? undefined : 'identity';
}

/** The types @fastify/compress compresses (among those above); images and fonts it leaves alone. */
const COMPRESSIBLE = /^(text\/|application\/(javascript|json)|image\/svg\+xml)/;

/** Requests that need @fastify/send's own logic (ranges, preconditions) are left to it. */
const HEADERS_FOR_DISK = ['range', 'if-range', 'if-match', 'if-unmodified-since', 'if-none-match', 'if-modified-since'];

/**
 * Serves `/assets/` with @fastify/static, except that small files answer from memory: every
 * request for a stylesheet or script otherwise costs a stat, a directory read and an open on
 * libuv's thread pool, where a burst of argon2id work (tips, sign-ins) makes it wait its turn.
 * Only an exact, plain file name is answered from memory; any other path, a range or a
 * conditional request goes to @fastify/static unchanged, so its checks and 404s stay as they are.
 */
export async function registerAssets(app: FastifyInstance, publicDir: string, { maxBytes = MEMORY_ASSET_MAX_BYTES } = {}): Promise<void> {
  const root = path.join(publicDir, 'assets');
  const memory = loadMemoryAssets(root, maxBytes);
  app.addHook('onRoute', (route) => {
    if (route.url !== '/assets/*') return;
    const fromDisk = route.handler;
    route.handler = function assetHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const raw = request.raw.url ?? '';
      const asset = raw.startsWith('/assets/') && !raw.includes('?') ? memory.get(raw.slice('/assets/'.length)) : undefined;
      const encoding = asset && !HEADERS_FOR_DISK.some((h) => request.headers[h] !== undefined) ? pickEncoding(request.headers['accept-encoding'], asset) : undefined;
      if (!encoding) return fromDisk.call(this, request, reply);
      const variant = asset![encoding]!;
      return reply.headers(variant.headers).send(variant.body);
    };
  });
  await app.register(fastifyStatic, {
    root,
    prefix: '/assets/',
    // Names carry a content hash, so a file at a given URL never changes.
    immutable: true,
    maxAge: '365d',
    preCompressed: true,
    index: false,
  });
}
