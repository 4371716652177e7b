import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Context } from '../../../core/context.ts';
import { DomainError } from '../../../core/errors.ts';
import { csvRow } from '../../../core/http/csv.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import { CsvSyntaxError, csvRecords } from './csv-reader.ts';
import * as repo from '../businesses/repo.ts';
import { businessesChanged } from '../businesses/snapshot.ts';
import { allCategories } from '../rules/repo.ts';
import type { Category } from '../rules/rules.ts';

/** The business fields an import fills, and the column (CSV) or property (GeoJSON) each comes from. */
export const IMPORT_FIELDS = ['name', 'address', 'city', 'lat', 'lng', 'category', 'external_id'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ColumnMapping = Partial<Record<ImportField, string>>;

/** One row as read, before any checking; `row` is the CSV line or the GeoJSON feature's position. */
export type RawRecord = { row: number } & Partial<Record<ImportField, string | number | null>>;

export type RejectReason = 'missing_name' | 'missing_external_id' | 'unknown_category' | 'bad_coordinates' | 'duplicate_in_file' | 'too_long';
export type Rejection = { row: number; reason: RejectReason; externalId: string; name: string };
export type ImportReport = { source: string; total: number; inserted: number; updated: number; rejected: Rejection[] };

export type ImportFileProblem = 'column_missing' | 'not_geojson' | 'bad_mapping' | 'bad_option';

/** A file that cannot be imported at all (no such column, not GeoJSON); per-row problems are Rejections instead. */
export class ImportFileError extends DomainError {
  declare readonly messageKey: string;
  readonly problem: ImportFileProblem;
  constructor(message: string, problem: ImportFileProblem, params: Record<string, string> = {}) {
    super('invalid_form', { message, messageKey: `map.import.errors.${problem}`, params });
    this.problem = problem;
  }
}

const ALIASES: Record<string, Category> = {
  nightclub: 'bar',
  adult_business: 'adult',
  sexually_oriented_business: 'adult',
  light_rail_station: 'rail_station',
  train_station: 'rail_station',
  emergency_department: 'emergency_room',
  er: 'emergency_room',
  urgent_care_center: 'urgent_care',
  pediatric: 'pediatric_care',
  farm_labour_contractor: 'farm_labor_contractor',
  job_recruitment_center: 'job_recruitment',
  roadside_rest_area: 'rest_area',
  massage_establishment: 'massage',
  bodywork: 'massage',
  motel: 'hotel',
  bed_and_breakfast: 'hotel',
  inn: 'hotel',
  hair_salon: 'personal_care',
  nail_salon: 'personal_care',
  barber: 'personal_care',
  electrolysis: 'personal_care',
  skin_care: 'personal_care',
};

/**
 * A stored category's code from a source's wording: `Truck stop`, `truck-stop` and `TRUCK_STOP`
 * all work, and a few common synonyms of the original kinds.
 */
export function categoryFrom(value: string, codes: ReadonlySet<string>): Category | undefined {
  const key = value.trim().toLowerCase().replace(/[\s\-/]+/g, '_');
  if (codes.has(key)) return key;
  const alias = ALIASES[key];
  return alias && codes.has(alias) ? alias : undefined;
}

/** The codes of every stored category, to check a file's rows against. */
const categoryCodes = async (db: Context['db']) => new Set((await allCategories(db)).map((c) => c.code));

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v).trim());

type Checked = { ok: true; business: repo.BusinessInput } | { ok: false; reason: RejectReason };

/** Checks one row; `seen` holds the external ids earlier rows of the same file used. */
export function checkRecord(raw: RawRecord, source: string, seen: Set<string>, codes: ReadonlySet<string>, defaultCategory?: Category): Checked {
  const name = text(raw.name);
  const externalId = text(raw.external_id);
  const address = text(raw.address);
  const city = text(raw.city);
  if (!name) return { ok: false, reason: 'missing_name' };
  if (!externalId) return { ok: false, reason: 'missing_external_id' };
  if (name.length > 300 || address.length > 300 || city.length > 120 || externalId.length > 200) return { ok: false, reason: 'too_long' };
  const categoryText = text(raw.category);
  const category = categoryText ? categoryFrom(categoryText, codes) : defaultCategory;
  if (!category) return { ok: false, reason: 'unknown_category' };
  const latText = text(raw.lat);
  const lngText = text(raw.lng);
  let lat: number | null = null;
  let lng: number | null = null;
  if (latText || lngText) {
    lat = Number(latText);
    lng = Number(lngText);
    const bad = !latText || !lngText || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat === 0 && lng === 0);
    if (bad) return { ok: false, reason: 'bad_coordinates' };
  }
  if (seen.has(externalId)) return { ok: false, reason: 'duplicate_in_file' };
  seen.add(externalId);
  return { ok: true, business: { name, address, city, lat, lng, category, source, externalId, searchText: repo.foldForSearch(`${name} ${address} ${city}`) } };
}

const findColumn = (header: string[], wanted: string) => header.findIndex((h) => h.trim().toLowerCase() === wanted.trim().toLowerCase());

/**
 * Rows of a CSV file with a header line. Each field comes from the column the mapping names,
 * or the column named like the field; a column named in the mapping must exist.
 */
export async function* csvRows(source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, mapping: ColumnMapping = {}): AsyncGenerator<RawRecord> {
  let columns: [ImportField, number][] | undefined;
  for await (const { line, fields } of csvRecords(source)) {
    if (!columns) {
      columns = [];
      for (const field of IMPORT_FIELDS) {
        const index = findColumn(fields, mapping[field] ?? field);
        if (index >= 0) columns.push([field, index]);
        else if (mapping[field]) throw new ImportFileError(`column "${mapping[field]}" (for ${field}) is not in the header`, 'column_missing', { column: mapping[field]!, field });
      }
      continue;
    }
    const record: RawRecord = { row: line };
    for (const [field, index] of columns) record[field] = fields[index] ?? '';
    yield record;
  }
}

type GeoFeature = { type?: string; geometry?: { type?: string; coordinates?: unknown } | null; properties?: Record<string, unknown> | null };

/** Rows of a GeoJSON FeatureCollection: fields from properties, position from a Point geometry unless mapped. */
export function* geojsonRows(document: unknown, mapping: ColumnMapping = {}): Generator<RawRecord> {
  const features = (document as { type?: string; features?: unknown })?.features;
  if ((document as { type?: string })?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    throw new ImportFileError('not a GeoJSON FeatureCollection', 'not_geojson');
  }
  for (const [index, item] of features.entries()) {
    const feature = (item ?? {}) as GeoFeature;
    const props = feature.properties ?? {};
    const record: RawRecord = { row: index + 1 };
    for (const field of IMPORT_FIELDS) {
      const value = props[mapping[field] ?? field];
      if (typeof value === 'string' || typeof value === 'number') record[field] = value;
    }
    const point = feature.geometry?.type === 'Point' && Array.isArray(feature.geometry.coordinates) ? feature.geometry.coordinates : undefined;
    if (point && !mapping.lat && !mapping.lng) {
      record.lng = typeof point[0] === 'number' ? point[0] : String(point[0]);
      record.lat = typeof point[1] === 'number' ? point[1] : String(point[1]);
    }
    yield record;
  }
}

const BATCH = 1000;

/**
 * Imports businesses from rows, upserting by source + external id in batches inside one
 * transaction with its audit row: a file imports whole or not at all, and importing it again
 * changes nothing but `updated_at`. Returns what was inserted, updated and rejected, row by row.
 */
export async function importBusinesses(
  ctx: Context,
  options: { rows: AsyncIterable<RawRecord> | Iterable<RawRecord>; source: string; defaultCategory?: Category; file?: string },
): Promise<ImportReport> {
  const report: ImportReport = { source: options.source, total: 0, inserted: 0, updated: 0, rejected: [] };
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const codes = await categoryCodes(trx);
    if (options.defaultCategory && !codes.has(options.defaultCategory)) throw new ImportFileError(`unknown category ${options.defaultCategory}`, 'bad_option');
    const seen = new Set<string>();
    let batch: (repo.BusinessInput & { id: string })[] = [];
    const flush = async () => {
      const existing = await repo.existingExternalIds(trx, options.source, batch.map((b) => b.externalId));
      await repo.upsertBusinesses(trx, batch, now);
      report.updated += existing.size;
      report.inserted += batch.length - existing.size;
      batch = [];
    };
    for await (const raw of options.rows) {
      report.total++;
      const checked = checkRecord(raw, options.source, seen, codes, options.defaultCategory);
      if (!checked.ok) {
        report.rejected.push({ row: raw.row, reason: checked.reason, externalId: text(raw.external_id), name: text(raw.name) });
        continue;
      }
      batch.push({ id: newId(), ...checked.business });
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length) await flush();
    if (report.inserted > 1000) await repo.refreshStatistics(trx);
    await ctx.audit(trx, {
      action: 'map1193.import',
      targetType: 'map1193.source',
      targetId: options.source,
      detail: { file: options.file ?? null, total: report.total, inserted: report.inserted, updated: report.updated, rejected: report.rejected.length },
    });
  });
  businessesChanged(ctx.db);
  return report;
}

/** `field=column,field=column` → mapping; unknown field names are an error, not a silent no-op. */
export function parseMapping(text: string): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    if (eq < 1 || !column || !(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw new ImportFileError(`--map expects field=column pairs with fields among ${IMPORT_FIELDS.join(', ')}; got "${pair}"`, 'bad_mapping', { pair });
    }
    mapping[field as ImportField] = column;
  }
  return mapping;
}

export const IMPORT_USAGE =
  'heatwatch import businesses FILE [--source NAME] [--format csv|geojson] [--map field=column,...] [--category CODE] [--rejects OUT.csv]';

/**
 * The `heatwatch import businesses` command: reads the file, imports it, prints the summary and
 * the first rejected rows (all of them with --rejects). Returns the process exit code.
 */
export async function runBusinessImport(args: string[], ctx: Context, print: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { source: { type: 'string' }, format: { type: 'string' }, map: { type: 'string' }, category: { type: 'string' }, rejects: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) {
    print(`usage: ${IMPORT_USAGE}`);
    return 2;
  }
  try {
    const format = values.format ?? (/\.(geo)?json$/i.test(file) ? 'geojson' : 'csv');
    if (format !== 'csv' && format !== 'geojson') throw new ImportFileError('--format must be csv or geojson', 'bad_option');
    const codes = await categoryCodes(ctx.db);
    const defaultCategory = values.category ? categoryFrom(values.category, codes) : undefined;
    if (values.category && !defaultCategory) throw new ImportFileError(`--category must be one of ${[...codes].join(', ')}`, 'bad_option');
    const mapping = parseMapping(values.map ?? '');
    const source = values.source ?? path.basename(file).replace(/\.[^.]+$/, '');
    // Opened here, so a missing file fails before the import starts rather than as a stray stream error.
    const rows =
      format === 'csv'
        ? csvRows((await fs.promises.open(file)).createReadStream(), mapping)
        : geojsonRows(JSON.parse(await fs.promises.readFile(file, 'utf8')), mapping);
    const started = performance.now();
    const report = await importBusinesses(ctx, { rows, source, defaultCategory, file: path.basename(file) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    print(`source "${source}": ${report.total} rows, ${report.inserted} inserted, ${report.updated} updated, ${report.rejected.length} rejected (${seconds} s)`);
    for (const r of report.rejected.slice(0, 50)) print(`  row ${r.row}: ${r.reason}${r.externalId ? ` (${r.externalId})` : ''}`);
    if (report.rejected.length > 50) print(`  … and ${report.rejected.length - 50} more${values.rejects ? '' : ' (use --rejects FILE to list them all)'}`);
    if (values.rejects) {
      const lines = [csvRow(['row', 'reason', 'external_id', 'name']), ...report.rejected.map((r) => csvRow([r.row, r.reason, r.externalId, r.name]))];
      await fs.promises.writeFile(values.rejects, lines.join(''));
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportFileError || error instanceof CsvSyntaxError || error instanceof SyntaxError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      print(`import failed, nothing was changed: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}
