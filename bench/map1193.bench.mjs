// MAP1193 benchmark, with 100,000 generated businesses over a county-sized area. It judges
// itself: every figure with a target is printed with PASS/FAIL as soon as it is measured.
//
// 1. Import: `heatwatch import businesses FILE` (the built CLI) on a 100,000-row CSV, timed from
//    process start to exit. Target: < 60 s.
// 2. Map API: GET /api/map1193/businesses at county zoom (10, clustered) and city zoom (14, one
//    feature per business, capped at 5,000), at random places, after a warm-up; every response
//    is parsed and checked. Target: p95 < 30 ms at each zoom.
// 3. Event-loop hold: the app runs with BENCH_EVENT_LOOP=1, which makes it measure its own event
//    loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution) and answer the longest since
//    the last reading at GET /_bench/event-loop; read after each zoom's requests. Target: ≤ 10 ms.
// 4. List page: search + city filter, page 2 (informational); the default `/map1193` under load
//    against bench/baseline-server.mjs serving the very same bytes, at 100,000 businesses and at
//    the 272 demo businesses. Target: ≥ 50 % of the baseline, in req/s and in CPU per request.
// 5. Open data: the whole CSV export of 100,000 rows, streamed; time and size.
// 6. Weight: the compressed size of the map page with its stylesheets and scripts. Target: ≤ 100 kB.
//
// SQLite always; PostgreSQL too when BENCH_PG_URL is set (e.g. postgres://postgres@127.0.0.1:5432/postgres):
// a database of its own is created there and dropped afterwards, also on a timeout or an interrupt.
//
//   npm run bench -- map1193        (builds first)
//   node bench/map1193.bench.mjs    (uses the existing build)
//
// About 4 minutes with PostgreSQL. BENCH_MAP_ROWS (100000), BENCH_MAP_REQUESTS (200 per zoom), BENCH_MAP_WARMUP (30 per zoom),
// BENCH_ROUNDS (2), BENCH_DURATION (5 s) and BENCH_TIMEOUT_MS (15 min) override the sizes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { busyWarning, fmt, load, machine, makeTmpDir, onCleanup, request, root, runBench, snapshotBuild, startApp, startServer, table } from './lib.mjs';

const ROWS = Number(process.env.BENCH_MAP_ROWS) || 100_000;
const REQUESTS = Number(process.env.BENCH_MAP_REQUESTS) || 200;
const WARMUP = Number(process.env.BENCH_MAP_WARMUP ?? 30);
const IMPORT_TARGET_S = 60;
const BBOX_P95_TARGET_MS = 30;
const HOLD_TARGET_MS = 10;
const THROUGHPUT_TARGET = 0.5;
const LOAD = { connections: 50, duration: Number(process.env.BENCH_DURATION) || 5, warmup: 1 };
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 2;

/** Every judged figure, for the summary at the end. */
const verdicts = [];
function judge(label, measure, value, ok, target) {
  verdicts.push({ database: label, measure, value, target, result: ok ? 'PASS' : 'FAIL' });
  console.log(`map1193 [${label}]: ${measure}: ${value} (target ${target}): ${ok ? 'PASS' : 'FAIL'}`);
  return ok;
}
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

const decode = (res) => ({ br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync }[res.headers['content-encoding']] ?? ((b) => b))(res.body);

/** A map answer must be a GeoJSON collection of well-formed features, clustered below zoom 14. */
function checkMap(pathname, res, zoom) {
  if (res.status !== 200) throw new Error(`${pathname} answered ${res.status}`);
  if (!/^application\/geo\+json/.test(res.headers['content-type'])) throw new Error(`${pathname} is ${res.headers['content-type']}`);
  const body = JSON.parse(decode(res).toString('utf8'));
  if (body.type !== 'FeatureCollection' || !Array.isArray(body.features) || body.clustered !== zoom < 14) throw new Error(`${pathname}: not the expected collection`);
  for (const f of body.features) {
    const [lng, lat] = f.geometry.coordinates;
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) throw new Error(`${pathname}: a feature without a position`);
    if (f.properties.cluster ? !(f.properties.count > 1) : typeof f.properties.id !== 'string' || typeof f.properties.name !== 'string') throw new Error(`${pathname}: a malformed feature`);
  }
  if (zoom < 14 && body.features.length === 0) throw new Error(`${pathname}: no businesses in a county-sized box`);
  return body.features.length;
}

function checkList(pathname, res) {
  if (res.status !== 200) throw new Error(`${pathname} answered ${res.status}`);
  const html = decode(res).toString('utf8');
  if (!html.includes('<h1>') || !/business(es)? (listed|match)/.test(html)) throw new Error(`${pathname}: not the list page`);
  return 0;
}

async function timeRequests(app, count, makePath, check, { timeoutMs } = {}) {
  const ms = [];
  let features = 0;
  for (let i = 0; i < count; i++) {
    const pathname = makePath(i);
    const t0 = process.hrtime.bigint();
    const res = await request(app.url(pathname), { headers: { 'accept-encoding': 'gzip' }, timeoutMs });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    features = Math.max(features, check(pathname, res));
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms[ms.length - 1], features };
}

/** The app's own reading of its event loop since the last call (BENCH_EVENT_LOOP=1). */
async function eventLoop(app, { stop = false } = {}) {
  const res = await request(app.url(`/_bench/event-loop${stop ? '?stop=1' : ''}`));
  if (res.status !== 200) throw new Error(`/_bench/event-loop answered ${res.status}: is BENCH_EVENT_LOOP=1 reaching the app?`);
  return JSON.parse(res.body.toString('utf8'));
}

/** Random county-sized boxes (zoom 10) and town-sized boxes (zoom 14) on the towns. */
function countyPaths(seed) {
  const rand = random(seed);
  return () => {
    const lat = 37.5 + rand() * 0.4;
    const lng = -122.6 + rand() * 0.8;
    return `/api/map1193/businesses?bbox=${(lng - 0.6).toFixed(4)},${(lat - 0.35).toFixed(4)},${(lng + 0.6).toFixed(4)},${(lat + 0.35).toFixed(4)}&zoom=10`;
  };
}
const cityPaths = (towns, shift) => (i) => {
  const town = towns[(i + shift) % towns.length];
  return `/api/map1193/businesses?bbox=${(town.lng - 0.04).toFixed(4)},${(town.lat - 0.025).toFixed(4)},${(town.lng + 0.04).toFixed(4)},${(town.lat + 0.025).toFixed(4)}&zoom=14`;
};

/**
 * `/map1193` (the default list page) against a bare Fastify serving its very bytes, in
 * alternating rounds; the best round of each side is compared, in req/s and in CPU per request
 * (see home.bench.mjs for why both).
 */
async function listThroughput(label, app, what) {
  const page = await request(app.url('/map1193'));
  if (page.status !== 200 || !String(page.headers['content-type']).startsWith('text/html')) throw new Error(`/map1193 answered ${page.status}`);
  const listed = /([\d,]+) business(?:es)? listed/.exec(page.body.toString('utf8'))?.[1];
  const dir = makeTmpDir('heatwatch-baseline-');
  fs.writeFileSync(path.join(dir, 'map1193.html'), page.body);
  const baseline = await startServer({
    name: 'baseline',
    script: path.join(root, 'bench', 'baseline-server.mjs'),
    env: { BASELINE_BODY: path.join(dir, 'map1193.html'), BASELINE_CONTENT_TYPE: page.headers['content-type'] },
  });
  try {
    const check = await request(baseline.url('/'));
    if (!check.body.equals(page.body)) throw new Error('the baseline does not serve the same bytes as the app');
    const appRuns = [];
    const baseRuns = [];
    for (let round = 1; round <= ROUNDS; round++) {
      appRuns.push(await load(app, '/map1193', { ...LOAD, title: `app /map1193, ${what}, round ${round}` }));
      baseRuns.push(await load(baseline, '/', { ...LOAD, title: `baseline (same bytes), round ${round}` }));
    }
    const again = await request(app.url('/map1193'));
    if (!again.body.equals(page.body)) throw new Error('/map1193 changed during the run');
    table([...appRuns, ...baseRuns].map((r) => ({ run: r.title, 'req/s': fmt.int(r.rps), p99: fmt.ms(r.p99), 'server CPU': fmt.pct(r.serverCpu), 'CPU/req': fmt.us(r.cpuPerRequest), 'errors/non2xx': `${r.errors}/${r.non2xx}` })));
    const invalid = [...appRuns, ...baseRuns].some((r) => r.errors > 0 || r.timeouts > 0 || r.non2xx > 0 || r.totalRequests === 0);
    const best = (rs) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const ratio = best(appRuns).rps / best(baseRuns).rps;
    const minCpu = (rs) => Math.min(...rs.map((r) => r.cpuPerRequest ?? Infinity));
    const cpuRatio = minCpu(baseRuns) / minCpu(appRuns);
    const cpuKnown = Number.isFinite(cpuRatio);
    judge(
      label,
      `/map1193 throughput at ${listed ?? '?'} businesses (${what})`,
      `${fmt.int(best(appRuns).rps)} / ${fmt.int(best(baseRuns).rps)} req/s = ${fmt.pct(ratio)}; CPU/req ${fmt.us(minCpu(appRuns))} vs ${fmt.us(minCpu(baseRuns))} = ${cpuKnown ? fmt.pct(cpuRatio) : 'n/a'}${invalid ? '; ERRORS' : ''}`,
      !invalid && ratio >= THROUGHPUT_TARGET && (!cpuKnown || cpuRatio >= THROUGHPUT_TARGET),
      `≥ ${fmt.pct(THROUGHPUT_TARGET)} of the baseline, req/s and CPU/req`,
    );
  } finally {
    await baseline.stop();
  }
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

/** One database's run: import, then the API, the list and the export against the app on that database. */
async function measure(label, buildDir, csvFile, towns, env) {
  console.log(`\nmap1193 [${label}]: importing ${fmt.int(ROWS)} rows`);
  const imported = await runCli(buildDir, ['import', 'businesses', csvFile, '--source', 'bench'], env);
  process.stdout.write(imported.stdout.replace(/^/gm, `  [cli] `));
  if (imported.code !== 0 || !new RegExp(`${ROWS} rows`).test(imported.stdout)) throw new Error(`the import failed (exit ${imported.code})`);
  judge(label, `import ${fmt.int(ROWS)} rows (CLI, process start to exit)`, `${imported.seconds.toFixed(1)} s`, imported.seconds < IMPORT_TARGET_S, `< ${IMPORT_TARGET_S} s`);
  const app = await startApp({ name: `app-${label}`, buildDir, env: { ...env, SEED_DEMO: 'off', BENCH_EVENT_LOOP: '1' }, logToFile: true });

  // The first request builds the snapshot; the warm-up also lets V8 compile the hot paths.
  const t0 = process.hrtime.bigint();
  // It waits for the whole snapshot: on a machine shared with other work that took over 10 s.
  await timeRequests(app, 1, countyPaths(7), (p, res) => checkMap(p, res, 10), { timeoutMs: 120_000 });
  console.log(`map1193 [${label}]: first county request (builds the in-memory snapshot): ${fmt.ms(Number(process.hrtime.bigint() - t0) / 1e6)}`);
  const build = await eventLoop(app);
  console.log(`map1193 [${label}]: longest event-loop hold while building: ${fmt.ms(build.holdMs)} of CPU, ${fmt.ms(build.gapMs)} wall-clock (informational)`);
  await timeRequests(app, WARMUP, countyPaths(8), (p, res) => checkMap(p, res, 10));
  await timeRequests(app, WARMUP, cityPaths(towns, 17), (p, res) => checkMap(p, res, 14));

  const zooms = [
    ['county zoom 10 (clustered)', countyPaths(1193), 10],
    ['city zoom 14', cityPaths(towns, 0), 14],
  ];
  const results = {};
  for (const [name, makePath, zoom] of zooms) {
    await eventLoop(app);
    const r = await timeRequests(app, REQUESTS, makePath, (p, res) => checkMap(p, res, zoom));
    const loop = await eventLoop(app);
    results[zoom] = { ...r, loop };
    judge(label, `bbox ${name}, ${r.features} features at most, ${REQUESTS} requests`, `p50 ${fmt.ms(r.p50)}, p95 ${fmt.ms(r.p95)}, max ${fmt.ms(r.max)}`, r.p95 < BBOX_P95_TARGET_MS, `p95 < ${BBOX_P95_TARGET_MS} ms`);
    judge(label, `event-loop hold during bbox ${name}`, `longest ${fmt.ms(loop.holdMs)} of CPU (wall-clock gap ${fmt.ms(loop.gapMs)}, ${fmt.int(loop.ticks)} ticks)`, loop.holdMs <= HOLD_TARGET_MS, `≤ ${HOLD_TARGET_MS} ms`);
  }

  await eventLoop(app);
  const search = await timeRequests(app, REQUESTS, (i) => `/map1193?q=example%20street&city=Bench%20Town%20${(i % 40) + 1}&page=2`, checkList);
  const searchLoop = await eventLoop(app);
  console.log(`map1193 [${label}]: list page, search + city filter, page 2: p50 ${fmt.ms(search.p50)}, p95 ${fmt.ms(search.p95)}; event-loop hold ${fmt.ms(searchLoop.holdMs)} of CPU, gap ${fmt.ms(searchLoop.gapMs)} (informational)`);
  const deep = await timeRequests(app, 50, (i) => `/map1193?page=${3000 + i * 10}`, checkList);
  console.log(`map1193 [${label}]: list page, deep pages (3,000 to 3,490): p50 ${fmt.ms(deep.p50)}, p95 ${fmt.ms(deep.p95)} (informational)`);

  // The probe's 1 ms timer would cost the app CPU under load: off for the throughput rounds.
  await eventLoop(app, { stop: true });
  await listThroughput(label, app, `${label}, imported`);

  const t1 = process.hrtime.bigint();
  const csv = await request(app.url('/map1193/businesses.csv'), { headers: { 'accept-encoding': 'gzip' }, timeoutMs: 120_000 });
  const exportSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  const exportRows = zlib.gunzipSync(csv.body).toString('utf8').split('\r\n').length - 2;
  // Every row imports (2% simply have no position), so the export must hold all of them.
  judge(label, 'open data CSV rows streamed', `${fmt.int(exportRows)} rows in ${exportSeconds.toFixed(2)} s, ${fmt.kb(csv.body.length)} gzip`, exportRows === ROWS, `${fmt.int(ROWS)} rows`);
  const weight = label === 'sqlite' ? await pageWeight(app) : undefined;
  await app.stop();
  return { label, importSeconds: imported.seconds, county: results[10], city: results[14], search, deep, exportSeconds, exportRows, exportBytes: csv.body.length, weight };
}

await runBench(
  'map1193',
  async () => {
    console.log('map1193: machine', machine());
    const busy = busyWarning();
    if (busy) console.log(`map1193: warning: ${busy}`);
    const dir = makeTmpDir('heatwatch-map1193-');
    const csvFile = path.join(dir, 'businesses.csv');
    const towns = writeCsv(csvFile);
    console.log(`map1193: ${fmt.int(ROWS)} businesses written to a ${fmt.kb(fs.statSync(csvFile).size)} CSV`);
    const buildDir = snapshotBuild();

    // The demo office first: the 272 generated businesses a fresh install shows.
    const demo = await startApp({ name: 'app-demo', buildDir, env: { SEED_DEMO: 'on' }, logToFile: true });
    await listThroughput('sqlite', demo, 'sqlite, demo data');
    await demo.stop();

    const runs = [await measure('sqlite', buildDir, csvFile, towns, { DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'map1193.db')}` })];

    if (process.env.BENCH_PG_URL) {
      const admin = new pg.Client({ connectionString: process.env.BENCH_PG_URL });
      await admin.connect();
      const name = `heatwatch_bench_${process.pid}`;
      await admin.query(`create database ${name}`);
      // Runs on a timeout or an interrupt too (bench/lib.mjs), after the app has been stopped.
      const drop = onCleanup(async () => {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
        console.log(`map1193: dropped the PostgreSQL database ${name}`);
      });
      try {
        const url = new URL(process.env.BENCH_PG_URL);
        url.pathname = `/${name}`;
        runs.push(await measure('postgres', buildDir, csvFile, towns, { DATA_DIR: dir, DATABASE_URL: url.href }));
      } finally {
        await drop();
      }
    }

    console.log('\nmap1193: results');
    table(verdicts);
    const { rows, totals } = runs[0].weight;
    console.log('\nmap1193: map page transfer size (HTML + stylesheets + scripts, compressed as sent; map tiles come from the tile server and are not counted)');
    table(rows);
    for (const [encoding, total] of Object.entries(totals)) judge('sqlite', `map page weight, ${encoding}`, `${fmt.int(total)} bytes`, total <= WEIGHT_TARGET_BYTES, `≤ ${fmt.int(WEIGHT_TARGET_BYTES)} bytes`);
    const after = busyWarning();
    if (after) console.log(`map1193: warning after the runs: ${after}`);
    return verdicts.every((v) => v.result === 'PASS');
  },
  { timeoutMs: Number(process.env.BENCH_TIMEOUT_MS) || 900_000 },
);
