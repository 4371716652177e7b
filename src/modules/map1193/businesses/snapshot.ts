import type { Context } from '../../../core/context.ts';
import type { Db } from '../../../database.ts';
import { BUSINESS_STATUSES } from '../tables.ts';
import * as repo from './repo.ts';

/**
 * The map and the list's counts read every active business from memory instead of the
 * database: at 100,000 businesses a county view is one pass over typed arrays (a few ms),
 * where the grouped SQL query took 90–340 ms and, on SQLite, held the event loop all that time.
 *
 * The snapshot is rebuilt when `map_business_changes.version` moved (database triggers raise it
 * on any change to a business row, whoever makes it). A process reads that number at most once
 * per SNAPSHOT_STALE_MS, and at once after a write it made itself (`businessesChanged`), so a
 * change made by another process or instance shows within SNAPSHOT_STALE_MS.
 */
export const SNAPSHOT_STALE_MS = 2000;
/** Rows per query while rebuilding: each chunk holds the event loop for a few ms at most. */
const CHUNK = 2000;

type Ctx = Pick<Context, 'db' | 'clock'>;

export type Snapshot = {
  version: number;
  /** Number of active businesses; index i is the i-th in list order (name, id). */
  size: number;
  ids: string[];
  names: string[];
  search: string[];
  /**
   * Each placed business as the UTF-8 bytes of its GeoJSON feature, written once per rebuild:
   * a city view sends up to 5,000 of them, and writing them (or joining strings, which V8 then
   * has to flatten and encode) per request held the event loop for over 10 ms.
   */
  features: FeatureBytes;
  /** NaN for a business without a position. */
  lat: Float64Array;
  lng: Float64Array;
  city: Uint32Array;
  category: Uint8Array;
  status: Uint8Array;
  /** Indices in the database's id order: the order of the map's features. */
  byId: Uint32Array;
  /** Position and status again, in id order: the map's scans read memory front to back. */
  latById: Float64Array;
  lngById: Float64Array;
  statusById: Uint8Array;
  cityNames: string[];
  categoryNames: string[];
};

/**
 * The features' bytes in one buffer per chunk read, and where each business's are: 100,000
 * small `Buffer` objects cost the garbage collector a pause on every major collection.
 */
export type FeatureBytes = { chunks: Buffer[]; chunk: Uint16Array; start: Uint32Array; end: Uint32Array };

type Tracker = {
  epoch: number;
  current?: Promise<number>;
  known?: number;
  checkedAt: number;
  reading?: { promise: Promise<number>; epoch: number };
  snapshot?: Snapshot;
  building?: { promise: Promise<Snapshot>; version: number };
};

const trackers = new WeakMap<object, Tracker>();

function trackerOf(db: Db): Tracker {
  let tracker = trackers.get(db);
  if (!tracker) {
    tracker = { epoch: 0, checkedAt: -Infinity };
    trackers.set(db, tracker);
  }
  return tracker;
}

/** A write in this process committed: the next reader asks the database for the version. */
export function businessesChanged(db: Db): void {
  const tracker = trackers.get(db);
  if (!tracker) return;
  tracker.epoch++;
  tracker.current = undefined;
}

/** The version while it is fresh, without a promise: the cached list page's fast path. */
export function freshVersion(ctx: Ctx): number | undefined {
  const tracker = trackers.get(ctx.db);
  const now = ctx.clock.now().getTime();
  return tracker?.known !== undefined && tracker.current && now >= tracker.checkedAt && now - tracker.checkedAt < SNAPSHOT_STALE_MS ? tracker.known : undefined;
}

/**
 * The businesses' version as this process knows it: from memory while it is fresh (no query,
 * no wait), from the database otherwise. Callers key caches by it.
 */
export function businessesVersion(ctx: Ctx): Promise<number> {
  const tracker = trackerOf(ctx.db);
  const now = ctx.clock.now().getTime();
  // A clock moved backwards counts as stale too.
  if (tracker.current && now >= tracker.checkedAt && now - tracker.checkedAt < SNAPSHOT_STALE_MS) return tracker.current;
  if (tracker.reading && tracker.reading.epoch === tracker.epoch) return tracker.reading.promise;
  const epoch = tracker.epoch;
  const promise = repo.businessVersion(ctx.db).then((version) => {
    // A write that committed while this read ran may not be in it: then it is not trusted as fresh.
    if (tracker.epoch === epoch) {
      tracker.current = Promise.resolve(version);
      tracker.known = version;
      tracker.checkedAt = now;
    }
    return version;
  });
  const reading = { promise, epoch };
  tracker.reading = reading;
  const clear = () => {
    if (tracker.reading === reading) tracker.reading = undefined;
  };
  promise.then(clear, clear);
  return promise;
}

/** The snapshot for the current version, rebuilt first when the businesses changed. */
export async function businessSnapshot(ctx: Ctx): Promise<Snapshot> {
  const version = await businessesVersion(ctx);
  const tracker = trackerOf(ctx.db);
  if (tracker.snapshot && tracker.snapshot.version >= version) return tracker.snapshot;
  if (tracker.building && tracker.building.version >= version) return tracker.building.promise;
  const promise = build(ctx.db, version).then((snapshot) => {
    if (!tracker.snapshot || tracker.snapshot.version < snapshot.version) tracker.snapshot = snapshot;
    return snapshot;
  });
  const building = { promise, version };
  tracker.building = building;
  const clear = () => {
    if (tracker.building === building) tracker.building = undefined;
  };
  promise.then(clear, clear);
  return promise;
}

/** Lets other requests run between chunks: SQLite answers synchronously, so nothing else would. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The same text as JSON.stringify of { type, geometry, properties } (numbers print alike). */
const featureJson = (id: string, name: string, category: string, status: string, lng: number, lat: number) =>
  `{"type":"Feature","geometry":{"type":"Point","coordinates":[${lng},${lat}]},"properties":{"id":${JSON.stringify(id)},"name":${JSON.stringify(name)},"category":${JSON.stringify(category)},"status":${JSON.stringify(status)}}}`;

const STATUS_CODE = new Map<string, number>(BUSINESS_STATUSES.map((s, i) => [s, i]));

/**
 * Reads every active business in keyset chunks. Rows that change while it reads raise the
 * version again, so the next reader rebuilds: a snapshot is never older than its version.
 */
async function build(db: Db, version: number): Promise<Snapshot> {
  const ids: string[] = [];
  const names: string[] = [];
  const search: string[] = [];
  const chunks: Buffer[] = [];
  const featureChunk: number[] = [];
  const featureStart: number[] = [];
  const featureEnd: number[] = [];
  const lat: number[] = [];
  const lng: number[] = [];
  const city: number[] = [];
  const category: number[] = [];
  const status: number[] = [];
  const cityNames: string[] = [];
  const cityCode = new Map<string, number>();
  const categoryNames: string[] = [];
  const categoryCode = new Map<string, number>();
  const position = new Map<string, number>();
  const code = (map: Map<string, number>, list: string[], value: string) => {
    let c = map.get(value);
    if (c === undefined) {
      c = list.length;
      list.push(value);
      map.set(value, c);
    }
    return c;
  };

  let after: { name: string; id: string } | undefined;
  for (;;) {
    const rows = await repo.snapshotChunk(db, after, CHUNK);
    for (const r of rows) {
      position.set(r.id, ids.length);
      ids.push(r.id);
      names.push(r.name);
      search.push(r.searchText);
      const placed = r.lat !== null && r.lng !== null;
      lat.push(placed ? Number(r.lat) : Number.NaN);
      lng.push(placed ? Number(r.lng) : Number.NaN);
      city.push(code(cityCode, cityNames, r.city));
      category.push(code(categoryCode, categoryNames, r.category));
      status.push(STATUS_CODE.get(r.status) ?? 0);
    }
    const texts: string[] = [];
    let offset = 0;
    for (const r of rows) {
      const text = r.lat !== null && r.lng !== null ? featureJson(r.id, r.name, r.category, r.status, Number(r.lng), Number(r.lat)) : '';
      texts.push(text);
      featureChunk.push(chunks.length);
      featureStart.push(offset);
      offset += Buffer.byteLength(text);
      featureEnd.push(offset);
    }
    chunks.push(Buffer.from(texts.join('')));
    if (rows.length < CHUNK) break;
    const last = rows[rows.length - 1]!;
    after = { name: last.name, id: last.id };
    await yieldToLoop();
  }

  // The map lists features in the database's id order, as the SQL did: read that order too.
  const size = ids.length;
  const byId = new Uint32Array(size);
  const seen = new Uint8Array(size);
  let k = 0;
  let afterId: string | undefined;
  for (;;) {
    const chunk = await repo.activeIdChunk(db, afterId, CHUNK * 5);
    for (const id of chunk) {
      const i = position.get(id);
      // A business added or deactivated between the two reads: the version moved, the next reader rebuilds.
      if (i === undefined || seen[i] || k >= size) continue;
      seen[i] = 1;
      byId[k++] = i;
    }
    if (chunk.length < CHUNK * 5) break;
    afterId = chunk[chunk.length - 1];
    await yieldToLoop();
  }
  for (let i = 0; k < size && i < size; i++) if (!seen[i]) byId[k++] = i;
  const latById = new Float64Array(size);
  const lngById = new Float64Array(size);
  const statusById = new Uint8Array(size);
  for (let j = 0; j < size; j++) {
    const i = byId[j]!;
    latById[j] = lat[i]!;
    lngById[j] = lng[i]!;
    statusById[j] = status[i]!;
  }

  return {
    version,
    size,
    ids,
    names,
    search,
    features: { chunks, chunk: Uint16Array.from(featureChunk), start: Uint32Array.from(featureStart), end: Uint32Array.from(featureEnd) },
    lat: Float64Array.from(lat),
    lng: Float64Array.from(lng),
    city: Uint32Array.from(city),
    category: Uint8Array.from(category),
    status: Uint8Array.from(status),
    byId,
    latById,
    lngById,
    statusById,
    cityNames,
    categoryNames,
  };
}

export type SnapshotFilters = repo.BusinessFilters;

/** A test for one index, `null` when every business passes, `none` when a filter names a value no business has. */
function matcher(s: Snapshot, filters: SnapshotFilters): ((i: number) => boolean) | 'none' | null {
  const term = filters.q ? repo.foldForSearch(filters.q) : '';
  const cityCode = filters.city ? s.cityNames.indexOf(filters.city) : -1;
  const categoryCode = filters.category ? s.categoryNames.indexOf(filters.category) : -1;
  const statusCode = filters.status ? BUSINESS_STATUSES.indexOf(filters.status) : -1;
  if ((filters.city && cityCode < 0) || (filters.category && categoryCode < 0)) return 'none';
  if (cityCode < 0 && categoryCode < 0 && statusCode < 0 && term === '') return null;
  const { city, category, status, search } = s;
  return (i) =>
    (cityCode < 0 || city[i] === cityCode) &&
    (categoryCode < 0 || category[i] === categoryCode) &&
    (statusCode < 0 || status[i] === statusCode) &&
    (term === '' || search[i]!.includes(term));
}

/**
 * The list's count and where the requested page starts: the (name, id) of the business just
 * before it, for a keyset query. One pass over the snapshot, no count(*).
 */
export function listSlice(s: Snapshot, filters: SnapshotFilters, offset: number): { total: number; after: { name: string; id: string } | undefined; beyond: boolean } {
  const test = matcher(s, filters);
  if (test === 'none') return { total: 0, after: undefined, beyond: offset > 0 };
  let total = 0;
  let before = -1;
  for (let i = 0; i < s.size; i++) {
    if (test && !test(i)) continue;
    if (total === offset - 1) before = i;
    total++;
  }
  return { total, after: before < 0 ? undefined : { name: s.names[before]!, id: s.ids[before]! }, beyond: offset > 0 && total < offset };
}

/** The cities that have at least one active business, in the database's text order. */
export function citiesOf(s: Snapshot): string[] {
  // List order is by name, not city: sort the (few hundred) city names here.
  return s.cityNames.filter((c) => c !== '').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export type Box = repo.Box;

/** Businesses in the box in id order, at most `limit`, as indices (their GeoJSON bytes are in `features`). */
export function pointsInBox(s: Snapshot, box: Box, filters: SnapshotFilters, limit: number): number[] {
  const test = matcher(s, filters);
  if (test === 'none') return [];
  const { latById, lngById, byId } = s;
  const { minLat, maxLat, minLng, maxLng } = box;
  const out: number[] = [];
  for (let k = 0; k < s.size && out.length < limit; k++) {
    const la = latById[k]!;
    const ln = lngById[k]!;
    // NaN (no position) fails every comparison.
    if (!(la >= minLat && la <= maxLat && ln >= minLng && ln <= maxLng)) continue;
    const i = byId[k]!;
    if (test && !test(i)) continue;
    out.push(i);
  }
  return out;
}

const PROBLEM = new Uint8Array(BUSINESS_STATUSES.length);
const GOOD = new Uint8Array(BUSINESS_STATUSES.length);
for (const st of ['reported_missing', 'notice_sent', 'penalised'] as const) PROBLEM[BUSINESS_STATUSES.indexOf(st)] = 1;
for (const st of ['reported_posted', 'verified_compliant', 'cured'] as const) GOOD[BUSINESS_STATUSES.indexOf(st)] = 1;

/** `single`: the index of the one business in a cell that holds only one. */
export type Cluster = { count: number; problems: number; good: number; lat: number; lng: number; single: number | undefined };

/** Six decimals (about 0.1 m): a mean has no business carrying more. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Square grid cells of `cellDeg` degrees, biggest first, each drawn at the mean position of
 * its members (a regular lattice of circles reads as made-up data).
 */
export function clustersInBox(s: Snapshot, box: Box, filters: SnapshotFilters, cellDeg: number, limit: number): Cluster[] {
  if (!Number.isFinite(cellDeg) || cellDeg <= 0) throw new Error('cell size must be a positive number');
  const test = matcher(s, filters);
  if (test === 'none') return [];
  const { latById, lngById, statusById, byId } = s;
  const { minLat, maxLat, minLng, maxLng } = box;
  // Cells are numbered from the box's corner; a box of at most a million cells gets a flat
  // table from cell to cluster (any county view), a larger one a Map.
  const cx0 = Math.floor((minLng + 180) / cellDeg);
  const cy0 = Math.floor((minLat + 90) / cellDeg);
  const width = Math.floor((maxLng + 180) / cellDeg) - cx0 + 1;
  const height = Math.floor((maxLat + 90) / cellDeg) - cy0 + 1;
  const flat = width * height <= 1 << 20 ? new Int32Array(width * height).fill(-1) : undefined;
  const slotOf = new Map<number, number>();
  const count: number[] = [];
  const problems: number[] = [];
  const good: number[] = [];
  const sumLat: number[] = [];
  const sumLng: number[] = [];
  const first: number[] = [];
  for (let k = 0; k < s.size; k++) {
    const la = latById[k]!;
    const ln = lngById[k]!;
    // NaN (no position) fails every comparison.
    if (!(la >= minLat && la <= maxLat && ln >= minLng && ln <= maxLng)) continue;
    if (test && !test(byId[k]!)) continue;
    const cell = (Math.floor((ln + 180) / cellDeg) - cx0) * height + (Math.floor((la + 90) / cellDeg) - cy0);
    let slot = flat ? flat[cell]! : (slotOf.get(cell) ?? -1);
    if (slot < 0) {
      slot = count.length;
      if (flat) flat[cell] = slot;
      else slotOf.set(cell, slot);
      count.push(0);
      problems.push(0);
      good.push(0);
      sumLat.push(0);
      sumLng.push(0);
      first.push(k);
    }
    const st = statusById[k]!;
    count[slot]!++;
    problems[slot]! += PROBLEM[st]!;
    good[slot]! += GOOD[st]!;
    sumLat[slot]! += la;
    sumLng[slot]! += ln;
  }
  const slots = Array.from({ length: count.length }, (_, j) => j);
  // Biggest first; among equals, the one whose first member comes first in id order.
  slots.sort((a, b) => count[b]! - count[a]! || first[a]! - first[b]!);
  return slots.slice(0, limit).map((j) => ({
    count: count[j]!,
    problems: problems[j]!,
    good: good[j]!,
    lat: round6(sumLat[j]! / count[j]!),
    lng: round6(sumLng[j]! / count[j]!),
    single: count[j] === 1 ? byId[first[j]!]! : undefined,
  }));
}
