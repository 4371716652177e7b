// MAP1193 benchmark, with 100,000 generated businesses over a county-sized area.
//
// 1. Import: `heatwatch import businesses FILE` (the built CLI) on a 100,000-row CSV, timed from
//    process start to exit. Target: < 60 s.
// 2. Map API: GET /api/map1193/businesses at county zoom (10, clustered) and city zoom (14, one
//    feature per business, capped at 5,000), at random places; p50 / p95 latency.
// 3. Open data: the whole CSV export of 100,000 rows, streamed; time and size.
// 4. Weight: the compressed size of the map page with its stylesheets and scripts. Target: ≤ 100 kB.
//
// SQLite always; PostgreSQL too when BENCH_PG_URL is set (e.g. postgres://postgres@127.0.0.1:5432/postgres):
// a database of its own is created there and dropped afterwards.
//
//   npm run bench -- map1193        (builds first)
//   node bench/map1193.bench.mjs    (uses the existing build)
//
// BENCH_MAP_ROWS (100000) and BENCH_MAP_REQUESTS (200 per zoom) override the sizes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { fmt, machine, makeTmpDir, request, runBench, snapshotBuild, startApp, table } from './lib.mjs';

const ROWS = Number(process.env.BENCH_MAP_ROWS) || 100_000;
const REQUESTS = Number(process.env.BENCH_MAP_REQUESTS) || 200;
const IMPORT_TARGET_S = 60;
const WEIGHT_TARGET_BYTES = 100_000;
/** A county about 110 km by 80 km around the demo map centre. */
const COUNTY = { minLat: 37.45, maxLat: 38.15, minLng: -122.75, maxLng: -121.55 };
const CATEGORIES = ['bar', 'hotel', 'personal_care', 'massage', 'urgent_care', 'truck_stop', 'adult', 'pediatric_care', 'bus_station', 'job_recruitment'];

/** mulberry32: the same file on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Businesses clustered around 40 towns, as real ones are; 2% without a position. */
function writeCsv(file) {
  const rand = random(526);
  const towns = Array.from({ length: 40 }, (_, i) => ({
    name: `Bench Town ${i + 1}`,
    lat: COUNTY.minLat + rand() * (COUNTY.maxLat - COUNTY.minLat),
    lng: COUNTY.minLng + rand() * (COUNTY.maxLng - COUNTY.minLng),
  }));
  const out = fs.openSync(file, 'w');
  let buffer = 'external_id,name,address,city,lat,lng,category\n';
  for (let i = 0; i < ROWS; i++) {
    const town = towns[Math.floor(rand() * rand() * towns.length)];
    const category = CATEGORIES[i % CATEGORIES.length];
    const placed = rand() > 0.02;
    const lat = placed ? (town.lat + (rand() - 0.5) * 0.08).toFixed(6) : '';
    const lng = placed ? (town.lng + (rand() - 0.5) * 0.1).toFixed(6) : '';
    buffer += `bench-${i},Demo ${category} ${i},${i % 9000} Example Street,${town.name},${lat},${lng},${category}\n`;
    if (buffer.length > 1 << 20) {
      fs.writeSync(out, buffer);
      buffer = '';
    }
  }
  fs.writeSync(out, buffer);
  fs.closeSync(out);
  return towns;
}

function runCli(buildDir, args, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(buildDir, 'dist', 'cli.js'), ...args], {
      cwd: buildDir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => (stdout += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timeRequests(app, makePath) {
  const ms = [];
  let features = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = process.hrtime.bigint();
    const res = await request(app.url(makePath(i)), { headers: { 'accept-encoding': 'gzip' } });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) throw new Error(`${makePath(i)} answered ${res.status}`);
    if (i === 0 && /json/.test(res.headers['content-type'])) features = JSON.parse(zlib.gunzipSync(res.body).toString('utf8')).features.length;
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms[ms.length - 1], features };
}

/** Stylesheets and scripts the page makes the browser download (links in the body count too). */
function referencedAssets(html, pageUrl) {
  const urls = [];
  for (const m of html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) urls.push(new URL(m[1], pageUrl).href);
  for (const m of html.matchAll(/<script\b[^>]*src="([^"]+)"/g)) urls.push(new URL(m[1], pageUrl).href);
  return urls;
}

async function pageWeight(app) {
  const rows = [];
  const totals = {};
  for (const encoding of ['br', 'gzip']) {
    const page = await request(app.url('/map1193'), { headers: { 'accept-encoding': encoding } });
    const decode = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync }[page.headers['content-encoding']] ?? ((b) => b);
    const html = decode(page.body).toString('utf8');
    let total = page.body.length;
    rows.push({ encoding, path: '/map1193', bytes: fmt.int(page.body.length) });
    for (const url of referencedAssets(html, app.url('/map1193'))) {
      const res = await request(url, { headers: { 'accept-encoding': encoding } });
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      total += res.body.length;
      rows.push({ encoding, path: new URL(url).pathname, bytes: fmt.int(res.body.length) });
    }
    totals[encoding] = total;
    rows.push({ encoding, path: 'total', bytes: fmt.kb(total) });
  }
  return { rows, totals };
}

/** One database's run: import, then the API and the export against the app on that database. */
async function measure(label, buildDir, csvFile, towns, env) {
  console.log(`\nmap1193 [${label}]: importing ${fmt.int(ROWS)} rows`);
  const imported = await runCli(buildDir, ['import', 'businesses', csvFile, '--source', 'bench'], env);
  process.stdout.write(imported.stdout.replace(/^/gm, `  [cli] `));
  if (imported.code !== 0 || !new RegExp(`${ROWS} rows`).test(imported.stdout)) throw new Error(`the import failed (exit ${imported.code})`);
  const app = await startApp({ name: `app-${label}`, env: { ...env, SEED_DEMO: 'off' }, logToFile: true });

  const rand = random(1193);
  const county = await timeRequests(app, () => {
    const lat = 37.5 + rand() * 0.4;
    const lng = -122.6 + rand() * 0.8;
    return `/api/map1193/businesses?bbox=${(lng - 0.6).toFixed(4)},${(lat - 0.35).toFixed(4)},${(lng + 0.6).toFixed(4)},${(lat + 0.35).toFixed(4)}&zoom=10`;
  });
  const city = await timeRequests(app, (i) => {
    const town = towns[i % towns.length];
    return `/api/map1193/businesses?bbox=${(town.lng - 0.04).toFixed(4)},${(town.lat - 0.025).toFixed(4)},${(town.lng + 0.04).toFixed(4)},${(town.lat + 0.025).toFixed(4)}&zoom=14`;
  });
  const search = await timeRequests(app, (i) => `/map1193?q=example%20street&city=Bench%20Town%20${(i % 40) + 1}&page=2`);

  const t0 = process.hrtime.bigint();
  const csv = await request(app.url('/map1193/businesses.csv'), { headers: { 'accept-encoding': 'gzip' }, timeoutMs: 120_000 });
  const exportSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const exportRows = zlib.gunzipSync(csv.body).toString('utf8').split('\r\n').length - 2;
  const weight = await pageWeight(app);
  await app.stop();
  return { label, importSeconds: imported.seconds, county, city, search, exportSeconds, exportRows, exportBytes: csv.body.length, weight };
}

await runBench('map1193', async () => {
  console.log('map1193: machine', machine());
  const dir = makeTmpDir('heatwatch-map1193-');
  const csvFile = path.join(dir, 'businesses.csv');
  const towns = writeCsv(csvFile);
  console.log(`map1193: ${fmt.int(ROWS)} businesses written to a ${fmt.kb(fs.statSync(csvFile).size)} CSV`);
  const buildDir = snapshotBuild();

  const runs = [await measure('sqlite', buildDir, csvFile, towns, { DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'map1193.db')}` })];

  if (process.env.BENCH_PG_URL) {
    const admin = new pg.Client({ connectionString: process.env.BENCH_PG_URL });
    await admin.connect();
    const name = `heatwatch_bench_${process.pid}`;
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(process.env.BENCH_PG_URL);
      url.pathname = `/${name}`;
      runs.push(await measure('postgres', buildDir, csvFile, towns, { DATA_DIR: dir, DATABASE_URL: url.href }));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }

  let passed = true;
  console.log('\nmap1193: results');
  table(
    runs.flatMap((r) => [
      { database: r.label, measure: `import ${fmt.int(ROWS)} rows (CLI, process start to exit)`, value: `${r.importSeconds.toFixed(1)} s`, target: `< ${IMPORT_TARGET_S} s` },
      { database: r.label, measure: `bbox county zoom 10 (clustered, ${r.county.features} features)`, value: `p50 ${fmt.ms(r.county.p50)}, p95 ${fmt.ms(r.county.p95)}`, target: '' },
      { database: r.label, measure: `bbox city zoom 14 (${r.city.features} features)`, value: `p50 ${fmt.ms(r.city.p50)}, p95 ${fmt.ms(r.city.p95)}`, target: '' },
      { database: r.label, measure: 'list page: search + city filter', value: `p50 ${fmt.ms(r.search.p50)}, p95 ${fmt.ms(r.search.p95)}`, target: '' },
      { database: r.label, measure: `open data CSV, ${fmt.int(r.exportRows)} rows streamed`, value: `${r.exportSeconds.toFixed(2)} s, ${fmt.kb(r.exportBytes)} gzip`, target: '' },
    ]),
  );
  for (const r of runs) {
    if (r.importSeconds >= IMPORT_TARGET_S) passed = false;
    // Every row imports (2% simply have no position), so the export must hold all of them.
    if (r.exportRows !== ROWS) {
      console.log(`map1193 [${r.label}]: the export has ${r.exportRows} rows, expected ${ROWS}`);
      passed = false;
    }
  }
  const { rows, totals } = runs[0].weight;
  console.log('\nmap1193: map page transfer size (HTML + stylesheets + scripts, compressed as sent; map tiles come from the tile server and are not counted)');
  table(rows);
  for (const [encoding, total] of Object.entries(totals)) {
    const ok = total <= WEIGHT_TARGET_BYTES;
    passed &&= ok;
    console.log(`map1193: ${encoding} total ${fmt.int(total)} bytes (target ≤ ${fmt.int(WEIGHT_TARGET_BYTES)}): ${ok ? 'PASS' : 'FAIL'}`);
  }
  return passed;
});
