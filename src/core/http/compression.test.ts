import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressPieces, negotiateEncoding } from './compression.ts';

const collect = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('negotiateEncoding', () => {
  it.each([
    [{}, undefined],
    [{ 'accept-encoding': 'gzip, deflate, br, zstd' }, 'br'],
    [{ 'accept-encoding': 'gzip' }, 'gzip'],
    [{ 'accept-encoding': 'br;q=0.5, gzip;q=0.8' }, 'gzip'],
    [{ 'accept-encoding': 'br;q=0, gzip;q=0' }, undefined],
    [{ 'accept-encoding': 'identity' }, undefined],
    [{ 'accept-encoding': '*' }, 'br'],
    [{ 'accept-encoding': '*;q=0.2, br;q=0' }, 'gzip'],
    [{ 'accept-encoding': 'GZIP' }, 'gzip'],
    [{ 'accept-encoding': 'gzip', 'x-no-compression': '1' }, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(negotiateEncoding(headers)).toBe(expected);
  });
});

describe('compressPieces', () => {
  // Pieces written into the same buffer again and again: what comes out must be every piece as it was.
  const body = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `{"n":${i},"text":"${'é'.repeat(i % 7)}"}`).join(','));
  function* fill(scratch: Buffer) {
    for (let at = 0; at < body.length; ) {
      const n = body.copy(scratch, 0, at, Math.min(body.length, at + scratch.length));
      at += n;
      yield n;
    }
  }

  it.each([['br', brotliDecompressSync], ['gzip', gunzipSync]] as const)('%s: decodes to the body, though the pieces share one buffer', async (encoding, decode) => {
    const compressed = await collect(compressPieces(fill, encoding));
    expect(decode(compressed).equals(body)).toBe(true);
    // Twice at once: each answer has a buffer of its own.
    const [a, b] = await Promise.all([collect(compressPieces(fill, encoding)), collect(compressPieces(fill, encoding))]);
    expect(decode(a).equals(body) && decode(b).equals(body)).toBe(true);
  });

  it('ends in an error when writing the body fails', async () => {
    const failing = compressPieces(function* () {
      yield 0;
      throw new Error('snapshot gone');
    }, 'gzip');
    await expect(collect(failing)).rejects.toThrow('snapshot gone');
  });
});
