import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';

// A migration that has run somewhere is history: changing it leaves that database on a schema no
// file describes, and one that sorts before an applied one is refused by Kysely at start.
const dir = path.resolve(import.meta.dirname, '../../migrations');
const released: { file: string; sha256: string }[] = JSON.parse(fs.readFileSync(path.join(dir, 'checksums.json'), 'utf8'));
const files = fs.readdirSync(dir).filter((f) => f !== 'index.ts' && f !== 'checksums.json').sort();
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');

describe('released migrations', () => {
  it('are all still there, byte for byte', () => {
    expect(released.length).toBeGreaterThan(0);
    for (const { file, sha256: sum } of released) {
      expect(fs.existsSync(path.join(dir, file)), `${file} was released and must not be removed`).toBe(true);
      expect(sha256(file), `${file} was released and must not change: write a new migration instead`).toBe(sum);
    }
  });

  it('list every migration file with its checksum', () => {
    const listed = new Set(released.map((r) => r.file));
    for (const file of files) {
      expect(listed.has(file), `append { "file": "${file}", "sha256": "${sha256(file)}" } to migrations/checksums.json`).toBe(true);
    }
  });

  it('only grow at the end: each one sorts after every one listed before it', () => {
    for (const [i, { file }] of released.entries()) {
      expect(file, 'a migration is named <yyyymmdd>T<hhmm>-<name>.ts').toMatch(/^\d{8}T\d{4}-[a-z0-9-]+\.ts$/);
      if (i > 0) expect(file > released[i - 1]!.file, `${file} sorts before ${released[i - 1]!.file}, which was released before it`).toBe(true);
    }
  });

  it('all run, under their file names, from migrations/index.ts', () => {
    expect(Object.keys(migrations)).toEqual(files.map((f) => f.replace(/\.ts$/, '')));
  });
});
