import type { FeatureBytes } from './snapshot.ts';

/**
 * A map answer before it is written: which prepared features it holds, in order, and the text
 * around them. Writing it costs one copy of each feature's bytes, straight from the snapshot
 * into the buffer being sent, with no object per feature: at 5,000 features a view made
 * 10,000 small objects and a megabyte buffer per request, and the collections they caused
 * held the event loop for over 10 ms.
 */
export type MapBody = {
  features: FeatureBytes;
  /** A business index (its bytes are in `features`) when ≥ 0; cluster `-1 - n` of `extra` otherwise. */
  items: Int32Array;
  extra: Buffer[];
  head: Buffer;
  tail: Buffer;
  /** The body's length in bytes. */
  length: number;
};

const COMMA = 0x2c;
const HEAD = Buffer.from('{"type":"FeatureCollection","features":[');
const tail = (clustered: boolean, truncated: boolean) => Buffer.from(`],"clustered":${clustered},"truncated":${truncated}}`);

export function mapBody(features: FeatureBytes, items: Int32Array, extra: Buffer[], clustered: boolean, truncated: boolean): MapBody {
  const end = tail(clustered, truncated);
  let length = HEAD.length + end.length + Math.max(0, items.length - 1);
  for (const item of items) length += item >= 0 ? features.end[item]! - features.start[item]! : extra[-1 - item]!.length;
  return { features, items, extra, head: HEAD, tail: end, length };
}

/**
 * Writes the body into `target` piece by piece, yielding the bytes of each full piece (and of
 * the last, shorter one); the caller sends or compresses them before asking for the next.
 */
export function* fillPieces(body: MapBody, target: Buffer): Generator<number> {
  const size = target.length;
  let at = 0;
  // Copies source[start, end) on, across as many pieces as it takes.
  let source: Buffer = body.head;
  let start = 0;
  let end = body.head.length;
  const { features, items, extra } = body;
  for (let n = -1; n <= items.length; n++) {
    if (n >= 0 && n < items.length) {
      if (n > 0) {
        if (at === size) {
          yield at;
          at = 0;
        }
        target[at++] = COMMA;
      }
      const item = items[n]!;
      if (item >= 0) {
        source = features.chunks[features.chunk[item]!]!;
        start = features.start[item]!;
        end = features.end[item]!;
      } else {
        source = extra[-1 - item]!;
        start = 0;
        end = source.length;
      }
    } else if (n === items.length) {
      source = body.tail;
      start = 0;
      end = source.length;
    }
    while (start < end) {
      if (at === size) {
        yield at;
        at = 0;
      }
      const copied = source.copy(target, at, start, Math.min(end, start + size - at));
      at += copied;
      start += copied;
    }
  }
  if (at > 0) yield at;
}

/** The whole body in one buffer (small answers, and clients that take no compression). */
export function bodyBytes(body: MapBody): Buffer {
  const out = Buffer.allocUnsafe(body.length);
  let offset = 0;
  for (const n of fillPieces(body, out)) offset += n;
  if (offset !== body.length) throw new Error('map body length mismatch');
  return out;
}
