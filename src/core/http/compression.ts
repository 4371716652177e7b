import { type BrotliCompress, constants, createBrotliCompress, createGzip, type Gzip } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';

/** What the app compresses and how: responses over 1 kB, brotli or gzip, at the library's levels. */
export const COMPRESSION = { threshold: 1024, encodings: ['br', 'gzip'] as ('br' | 'gzip')[] };

const GZIP_LEVEL = 1;
const BROTLI_QUALITY = 1;

/**
 * For large answers computed per request (the map's GeoJSON, up to ~1 MB): the fastest levels.
 * Coordinates and ids compress poorly at any level (brotli 1 and gzip 1 come within 3 % of the
 * defaults on such a body) while the default levels take two to three times the CPU.
 */
export const FAST_COMPRESSION = {
  ...COMPRESSION,
  zlibOptions: { level: GZIP_LEVEL },
  brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
};

export type Encoding = 'br' | 'gzip';

/**
 * The coding @fastify/compress would choose: the highest q among brotli and gzip (`*` stands
 * for both), brotli on a tie, none when the client sends none, refuses both or asks for none
 * with `x-no-compression`.
 */
export function negotiateEncoding(headers: IncomingHttpHeaders): Encoding | undefined {
  const header = headers['accept-encoding'];
  if (typeof header !== 'string' || headers['x-no-compression'] !== undefined) return undefined;
  const q: Record<string, number> = {};
  for (const part of header.toLowerCase().split(',')) {
    const [token = '', ...params] = part.split(';').map((s) => s.trim());
    if (!token) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q[token] = Number.isFinite(value) ? value : 0;
  }
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const encoding of COMPRESSION.encodings) {
    const value = q[encoding] ?? q['*'] ?? 0;
    if (value > bestQ) {
      best = encoding;
      bestQ = value;
    }
  }
  return best;
}

/** Bytes per piece of a streamed body: a piece is written (and its turn of the loop taken) in well under a millisecond. */
export const PIECE_BYTES = 128 * 1024;
/** Output buffers of the streamed compressors: a 1 MB answer comes out in a few turns of the thread pool, not twenty. */
const OUTPUT_CHUNK = 64 * 1024;

/** Scratch buffers of PIECE_BYTES, reused: a fresh megabyte per answer made the garbage collector stop the loop. */
const scratchPool: Buffer[] = [];
const MAX_POOLED = 16;

/**
 * Compresses a body that `fill` writes piece by piece into one reused buffer, at the fast levels,
 * one piece at a time: the next piece is written only when the compressor has consumed the last
 * (its write callback), so the buffer can be filled again, the event loop runs between pieces,
 * and a slow client holds back the writing instead of filling memory. `fill` yields how many
 * bytes of the buffer each piece holds.
 */
export function compressPieces(fill: (scratch: Buffer) => Iterable<number>, encoding: Encoding): Gzip | BrotliCompress {
  const zip = encoding === 'br' ? createBrotliCompress({ ...FAST_COMPRESSION.brotliOptions, chunkSize: OUTPUT_CHUNK }) : createGzip({ ...FAST_COMPRESSION.zlibOptions, chunkSize: OUTPUT_CHUNK });
  const scratch = scratchPool.pop() ?? Buffer.allocUnsafe(PIECE_BYTES);
  let closed = false;
  zip.once('close', () => (closed = true));
  const consumed = (n: number) =>
    new Promise<boolean>((resolve) => {
      // A client that went away destroys the stream: the callback may then never come.
      const onClose = () => resolve(false);
      zip.once('close', onClose);
      zip.write(scratch.subarray(0, n), (error) => {
        zip.off('close', onClose);
        resolve(!error);
      });
    });
  void (async () => {
    let done = false;
    try {
      for (const n of fill(scratch)) {
        if (closed || !(await consumed(n))) return;
      }
      done = true;
      zip.end();
    } catch (error) {
      zip.destroy(error as Error);
    } finally {
      // Only a buffer the compressor has consumed goes back: after an abort it may still be read.
      if (done && scratchPool.length < MAX_POOLED) scratchPool.push(scratch);
    }
  })();
  return zip;
}
