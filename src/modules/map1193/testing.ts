import { newId } from '../../core/crypto/server-secret.ts';
import type { Db } from '../../database.ts';
import { foldForSearch } from './businesses/repo.ts';
import { businessesChanged } from './businesses/snapshot.ts';
import type { BusinessRow } from './tables.ts';

let sequence = 0;

/** Test factory: one business row with sensible values, overridable field by field. */
export function businessRow(overrides: Partial<BusinessRow> = {}): BusinessRow {
  sequence++;
  const row: BusinessRow = {
    id: newId(),
    name: `Factory Motel ${sequence}`,
    address: `${sequence} Example Street`,
    city: 'Demo City',
    lat: 37.8,
    lng: -122.27,
    category: 'hotel',
    source: 'factory',
    externalId: `factory-${sequence}-${newId().slice(0, 6)}`,
    active: 1,
    status: 'unknown',
    statusChangedAt: null,
    lastReportAt: null,
    queuedAt: null,
    searchText: '',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
  row.searchText = foldForSearch(`${row.name} ${row.address} ${row.city}`);
  return row;
}

/** Inserts businesses made by `businessRow` (in chunks, so thousands are fine) and returns them. */
export async function insertBusinesses(db: Db, rows: BusinessRow[]): Promise<BusinessRow[]> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('mapBusinesses').values(rows.slice(i, i + 500)).execute();
  // A write in this process, as the services' writes are: the map and list see it at once.
  businessesChanged(db);
  return rows;
}

/** The 15 category codes the categories migration stores: the law as of 2024. */
export const RELEASED_CATEGORIES = [
  'bar', 'adult', 'airport', 'rail_station', 'bus_station', 'truck_stop', 'emergency_room', 'urgent_care',
  'pediatric_care', 'farm_labor_contractor', 'job_recruitment', 'rest_area', 'massage', 'hotel', 'personal_care',
] as const;
