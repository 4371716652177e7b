import type { Context } from '../../../core/context.ts';
import { notFound } from '../../../core/http/errors.ts';
import { type CleanPhoto, sealPhoto } from '../shared/photos.ts';
import * as repo from './repo.ts';
import { businessesChanged, businessSnapshot, citiesOf, type Cluster, clustersInBox, listSlice, pointsInBox } from './snapshot.ts';
import { type MapBody, mapBody } from './map-body.ts';
import { type Category, judgeObservation, lawDay, type Reason } from '../rules/rules.ts';
import { rulesOn } from '../rules/service.ts';
import type { BusinessStatus, Judgement, Observation, Problem, ReportChannel } from '../tables.ts';
import { communityOf, communitySince } from '../reports/community.ts';
import * as reports from '../reports/repo.ts';

export const PAGE_SIZE = 25;

/**
 * One page of the public list, with the totals the pagination needs: the count and the page's
 * start come from the in-memory snapshot (no count(*), no OFFSET), the rows from one keyset query.
 */
export async function listBusinesses(ctx: Pick<Context, 'db' | 'clock'>, filters: repo.BusinessFilters, page: number) {
  const s = await businessSnapshot(ctx);
  const { total, after, beyond } = listSlice(s, filters, (page - 1) * PAGE_SIZE);
  const rows = beyond ? [] : await repo.listPage(ctx.db, filters, after, PAGE_SIZE);
  return { rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** The cities that have at least one active business, for the list filter. */
export const listCities = (ctx: Pick<Context, 'db'>) => repo.distinctCities(ctx.db);

/** The same, from the snapshot: no query while the businesses have not changed. */
export const snapshotCities = async (ctx: Pick<Context, 'db' | 'clock'>) => citiesOf(await businessSnapshot(ctx));

export { businessesChanged, businessesVersion, freshVersion, SNAPSHOT_STALE_MS } from './snapshot.ts';

/** Below this zoom the map gets grid clusters; from it on, one feature per business. */
export const CLUSTER_BELOW_ZOOM = 14;
export const MAX_FEATURES = 5000;
/** Cluster cells are about this many screen pixels wide at any zoom. */
const CELL_PX = 80;

export const cellSizeDeg = (zoom: number) => (360 * CELL_PX) / (256 * 2 ** zoom);

/** Written as text, like the businesses' features in the snapshot: the same text as JSON.stringify. */
const clusterJson = (c: Cluster) =>
  `{"type":"Feature","geometry":{"type":"Point","coordinates":[${c.lng},${c.lat}]},"properties":{"cluster":true,"count":${c.count},"problems":${c.problems},"good":${c.good}}}`;

/** What the map shows in a box, ready to be written: grid clusters at low zoom, businesses up close; never more than MAX_FEATURES. */
export async function mapFeatures(ctx: Pick<Context, 'db' | 'clock'>, box: repo.Box, zoom: number, filters: repo.BusinessFilters): Promise<MapBody> {
  const s = await businessSnapshot(ctx);
  if (zoom >= CLUSTER_BELOW_ZOOM) {
    const points = pointsInBox(s, box, filters, MAX_FEATURES + 1);
    return mapBody(s.features, Int32Array.from(points.length > MAX_FEATURES ? points.slice(0, MAX_FEATURES) : points), [], false, points.length > MAX_FEATURES);
  }
  const cells = clustersInBox(s, box, filters, cellSizeDeg(zoom), MAX_FEATURES + 1);
  const shown = cells.slice(0, MAX_FEATURES);
  const extra: Buffer[] = [];
  // A cell holding one business is that business: it gets a marker of its own, not a "1".
  const items = Int32Array.from(shown, (c) => (c.single === undefined ? -1 - (extra.push(Buffer.from(clusterJson(c))) - 1) : c.single));
  return mapBody(s.features, items, extra, true, cells.length > MAX_FEATURES);
}

export type HistoryEntry =
  | { kind: 'report'; day: string; observed: Observation; problems: Problem[]; judgement: Judgement }
  | { kind: 'status'; day: string; status: BusinessStatus };

/**
 * A business with its official status, the community picture of the last 90 days and its
 * public history: dates and what was seen or decided, never who reported.
 */
export async function businessPage(ctx: Pick<Context, 'db' | 'clock' | 'settings'>, id: string) {
  const business = await repo.findBusiness(ctx.db, id);
  if (!business) throw notFound();
  const [recent, events, rules, counts] = await Promise.all([
    repo.reportsOf(ctx.db, id, 50),
    repo.statusEventsOf(ctx.db, id, 50),
    rulesOn(ctx, ctx.clock.now()),
    reports.observationCounts(ctx.db, [id], communitySince(ctx.clock.now())),
  ]);
  const { timeZone } = await ctx.settings.get();
  const history: HistoryEntry[] = [
    ...events.map((e): HistoryEntry => ({ kind: 'status', day: lawDay(new Date(e.at), timeZone), status: e.toStatus })),
    ...recent.map((r): HistoryEntry => ({
      kind: 'report',
      day: lawDay(new Date(r.observedAt), timeZone),
      observed: r.observed,
      problems: splitList(r.problems) as Problem[],
      judgement: r.judgement,
    })),
  ].sort((a, b) => (a.day === b.day ? (a.kind === 'status' ? -1 : 1) : a.day < b.day ? 1 : -1));
  return { business, history, rule: rules.categories.get(business.category as Category), law: { notice: rules.notice, penalty: rules.penalty }, community: communityOf(counts) };
}

const splitList = (text: string) => (text ? text.split(',') : []);

export type ReportInput = {
  /** Made by the client (or the server when rendering the form): the same id twice is one report. */
  id: string;
  businessId: string;
  observed: Observation;
  problems: Problem[];
  note: string | undefined;
  channel: ReportChannel;
  reporterId?: string | null;
  actionDayId?: string | null;
  /** When the person looked; defaults to now. Offline clients send theirs. */
  observedAt?: Date;
  photo?: { clean: CleanPhoto; key: Uint8Array };
  /** HMAC of the outcome code given to an anonymous reporter. */
  lookupHash?: string;
};

export type ReportOutcome = { created: boolean; businessId: string; judgement?: Judgement; reasons?: Reason[]; status?: BusinessStatus };

/**
 * Stores an observation, judged by the rules in force on its day. It never changes the official
 * status (only an inspector's step does); a credible missing or wrong report puts the business
 * on the inspectors' queue, and no later report takes it off. Idempotent by id.
 */
export async function submitReport(ctx: Pick<Context, 'db' | 'dialect' | 'clock' | 'settings'>, input: ReportInput): Promise<ReportOutcome> {
  const now = ctx.clock.now();
  const observedAt = (input.observedAt ?? now).toISOString();
  const sealed = input.photo ? await sealPhoto(input.photo.key, input.id, input.photo.clean.bytes) : undefined;
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<ReportOutcome> => {
    const earlier = await repo.findReport(trx, input.id);
    if (earlier) return { created: false, businessId: earlier.businessId };
    const business = await repo.lockBusinessStatus(trx, input.businessId, ctx.dialect);
    if (!business) throw notFound();
    const { judgement, reasons } = judgeObservation(await rulesOn({ db: trx, settings: ctx.settings }, new Date(observedAt)), business.category, input.observed, input.problems);
    const created = await repo.insertReport(trx, {
      id: input.id,
      businessId: input.businessId,
      observed: input.observed,
      problems: input.observed === 'wrong' ? input.problems.join(',') : '',
      note: input.note ?? null,
      judgement,
      reasons: reasons.join(','),
      channel: input.channel,
      reporterId: input.reporterId ?? null,
      actionDayId: input.actionDayId ?? null,
      hasPhoto: sealed ? 1 : 0,
      observedAt,
      receivedAt: now.toISOString(),
      lookupHash: input.lookupHash ?? null,
      reviewedAt: null,
      reviewOutcome: null,
    });
    // Another request with the same id won the race between our lookup and insert.
    if (!created) return { created: false, businessId: input.businessId };
    if (sealed && input.photo) {
      const { clean } = input.photo;
      await repo.insertPhoto(trx, { reportId: input.id, mime: clean.mime, width: clean.width, height: clean.height, size: clean.bytes.length, data: sealed, createdAt: now.toISOString() });
    }
    if (judgement === 'non_compliant') await reports.enqueue(trx, input.businessId, now.toISOString());
    await repo.touchLastReport(trx, input.businessId, observedAt);
    return { created: true, businessId: input.businessId, judgement, reasons, status: business.status };
  });
  if (outcome.created) businessesChanged(ctx.db);
  return outcome;
}

/** Every active business, read in keyset pages so a large export never holds a transaction or all rows. */
export async function* exportBusinesses(ctx: Pick<Context, 'db'>, batchSize = 1000): AsyncGenerator<repo.PublicBusiness> {
  let after: string | undefined;
  for (;;) {
    const rows = await repo.exportPage(ctx.db, after, batchSize);
    yield* rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}
