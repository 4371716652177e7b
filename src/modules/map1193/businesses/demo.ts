import type { Clock } from '../../../core/clock.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import type { OfficeSettings } from '../../../core/settings/settings.ts';
import type { Db } from '../../../database.ts';
import type { AppServices, OfficeSetUp } from '../../../core/module.ts';
import { DEMO_SOURCE, deleteDemoBusinesses } from './demo.repo.ts';
import * as repo from './repo.ts';
import { businessesChanged } from './snapshot.ts';
import type { Category } from '../rules/rules.ts';
import type { BusinessRow, BusinessStatus } from '../tables.ts';

/** Kinds of demo business, how many of each, and the word in their (obviously made-up) names. */
const KINDS: [Category, string, number][] = [
  ['bar', 'Bar', 50],
  ['hotel', 'Motel', 45],
  ['personal_care', 'Nail Salon', 40],
  ['massage', 'Massage', 35],
  ['urgent_care', 'Urgent Care', 15],
  ['truck_stop', 'Truck Stop', 12],
  ['adult', 'Adult Store', 10],
  ['pediatric_care', 'Pediatric Clinic', 15],
  ['bus_station', 'Bus Station', 12],
  ['rail_station', 'Rail Station', 8],
  ['job_recruitment', 'Job Center', 10],
  ['farm_labor_contractor', 'Farm Labor Contractor', 8],
  ['emergency_room', 'Hospital ER', 6],
  ['rest_area', 'Rest Area', 4],
  ['airport', 'Airport', 2],
];

const CITIES = ['Demo City', 'Example Town', 'Sampleville', 'Testburg', 'Placeholder Bay'];
const STREETS = ['Example Street', 'Sample Avenue', 'Demo Boulevard', 'Fictional Way', 'Test Road'];
const STATUSES: [BusinessStatus, number][] = [
  ['unknown', 0.35],
  ['reported_posted', 0.25],
  ['reported_missing', 0.2],
  ['verified_compliant', 0.1],
  ['notice_sent', 0.05],
  ['cured', 0.03],
  ['penalised', 0.02],
];

/** mulberry32: the same demo map on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo businesses, spread around the map center; every 20th has no position (list only). */
export function demoBusinesses(center: { lat: number; lng: number }, now: string): BusinessRow[] {
  const rand = random(1193);
  const rows: BusinessRow[] = [];
  for (const [category, word, count] of KINDS) {
    for (let n = 1; n <= count; n++) {
      const i = rows.length;
      const city = CITIES[Math.floor(rand() * CITIES.length)]!;
      const address = `${100 + Math.floor(rand() * 9800)} ${STREETS[Math.floor(rand() * STREETS.length)]!}`;
      // Square-root radius spreads points evenly over a disc of about 15 km.
      const r = 0.14 * Math.sqrt(rand());
      const angle = rand() * 2 * Math.PI;
      const placed = i % 20 !== 19;
      let pick = rand();
      const status = STATUSES.find(([, share]) => (pick -= share) < 0)?.[0] ?? 'unknown';
      const name = `Demo ${word} ${n}`;
      rows.push({
        id: newId(),
        name,
        address,
        city,
        lat: placed ? Number((center.lat + r * Math.sin(angle)).toFixed(6)) : null,
        lng: placed ? Number((center.lng + (r * Math.cos(angle)) / Math.cos((center.lat * Math.PI) / 180)).toFixed(6)) : null,
        category,
        source: DEMO_SOURCE,
        externalId: `demo-${category}-${n}`,
        active: 1,
        status,
        statusChangedAt: status === 'unknown' ? null : now,
        queuedAt: status === 'reported_missing' ? now : null,
        lastReportAt: null,
        searchText: repo.foldForSearch(`${name} ${address} ${city}`),
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  return rows;
}

/**
 * Fills an empty business table with demo records while the office is still in demo mode, so a
 * fresh `npm start` shows a working map. Does nothing once any business exists. Returns how many it added.
 */
export async function seedDemoBusinesses(db: Db, settings: OfficeSettings, clock: Clock): Promise<number> {
  if (!settings.demo || (await repo.countBusinesses(db)) > 0) return 0;
  const now = clock.now().toISOString();
  const rows = demoBusinesses(settings.mapCenter, now);
  await db.transaction().execute(async (trx) => {
    await repo.insertBusinessesIfAbsent(trx, rows);
    // Another process starting at the same moment may have seeded first: its rows, not ours, are kept.
    const kept = await repo.existingIds(trx, rows.map((r) => r.id));
    for (const row of rows.filter((r) => r.status !== 'unknown' && kept.has(r.id))) {
      await repo.insertStatusEvent(trx, { id: newId(), businessId: row.id, at: now, fromStatus: 'unknown', toStatus: row.status, cause: 'demo', reportId: null, actorId: null });
    }
  });
  businessesChanged(db);
  return rows.length;
}

/**
 * At first-run setup, when the administrator asked for it: the demo businesses and everything
 * filed against them go, in the setup transaction, with one audit row saying how many.
 */
export async function removeDemoAtSetup(s: Pick<AppServices, 'audit' | 'db'>, trx: Db, setUp: OfficeSetUp): Promise<void> {
  if (!setUp.removeDemo) return;
  const removed = await deleteDemoBusinesses(trx);
  if (removed === 0) return;
  await s.audit(trx, { actor: setUp.actor, action: 'map1193.demo_removed', targetType: 'map1193.source', targetId: DEMO_SOURCE, detail: { businesses: removed } });
  // This process's map should not wait for its next version check to drop them.
  businessesChanged(s.db);
}
