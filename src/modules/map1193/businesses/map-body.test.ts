import { describe, expect, it } from 'vitest';
import { bodyBytes, fillPieces, mapBody } from './map-body.ts';
import type { FeatureBytes } from './snapshot.ts';

// Three businesses' features in two chunk buffers, as the snapshot keeps them; one without a position (empty).
const chunks = [Buffer.from('{"a":1}{"bb":"ñ"}'), Buffer.from('{"c":[3]}')];
const features: FeatureBytes = { chunks, chunk: Uint16Array.from([0, 0, 1, 1]), start: Uint32Array.from([0, 7, 0, 9]), end: Uint32Array.from([7, Buffer.byteLength('{"a":1}{"bb":"ñ"}'), 9, 9]) };
const cluster = Buffer.from('{"cluster":true}');

describe('a map body', () => {
  it('is the collection of its features and clusters, in order', () => {
    const body = mapBody(features, Int32Array.from([2, -1, 0, 1]), [cluster], true, false);
    const text = '{"type":"FeatureCollection","features":[{"c":[3]},{"cluster":true},{"a":1},{"bb":"ñ"}],"clustered":true,"truncated":false}';
    expect(body.length).toBe(Buffer.byteLength(text));
    expect(bodyBytes(body).toString('utf8')).toBe(text);
    expect(JSON.parse(bodyBytes(mapBody(features, new Int32Array(0), [], false, true)).toString('utf8'))).toEqual({ type: 'FeatureCollection', features: [], clustered: false, truncated: true });
  });

  it('comes out the same in pieces of any size, every piece full but the last', () => {
    const body = mapBody(features, Int32Array.from([0, 1, 2, -1, 0]), [cluster], false, false);
    const whole = bodyBytes(body);
    for (const size of [1, 2, 3, 7, 16, 64, whole.length - 1, whole.length, whole.length + 5]) {
      const scratch = Buffer.alloc(size);
      const pieces: Buffer[] = [];
      for (const n of fillPieces(body, scratch)) pieces.push(Buffer.from(scratch.subarray(0, n)));
      expect(Buffer.concat(pieces).equals(whole), `pieces of ${size}`).toBe(true);
      expect(pieces.slice(0, -1).every((p) => p.length === size)).toBe(true);
    }
  });
});
