// A burst of tips must not slow everyone else.
//
// The built app (dist/main.js), set up through its real /setup page like tips.bench.mjs, takes a
// 50-connection burst of tip submissions (each request from its own address, TRUST_PROXY=true)
// for BENCH_BURST_SECONDS. Meanwhile other visitors (bench/burst-visitors.mjs, a process of its
// own), each on a new connection as a browser's first visit would be, fetch the home page, its
// stylesheet and quick-exit.js (brotli accepted) every 150 ms, and another tipster sends one tip
// every 1.5 s.
//
// The argon2id rate the machine gives alone is measured in the same run, in a separate process,
// with the app's parameters and the concurrency the app uses (read from its start-up log line),
// before and after the burst; the app's tips per second are compared with their mean.
//
// Targets: p99 of GET /, the CSS and quick-exit.js < 100 ms during the burst; the other client's
// tips < 2 s each; tips/s >= 80 % of the argon2id rate alone.
//
//   npm run bench -- burst        (builds first)
//   node bench/burst.bench.mjs    (uses the existing build)
//
// BENCH_CONNECTIONS (50), BENCH_BURST_SECONDS (20), BENCH_RAW_SECONDS (8) change the run;
// BENCH_ARGON2_CONCURRENCY sets the app's ARGON2_CONCURRENCY (unset: the app's default).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { busyWarning, cpuSeconds, fmt, machine, makeTmpDir, runBench, startApp, table } from './lib.mjs';
import { BOUNDARY, csrfOf, setUpOffice, someAddress, tipBody } from './tip-line.mjs';

const settings = {
  connections: Number(process.env.BENCH_CONNECTIONS) || 50,
  burstSeconds: Number(process.env.BENCH_BURST_SECONDS) || 20,
  rawSeconds: Number(process.env.BENCH_RAW_SECONDS) || 8,
  argon2Concurrency: process.env.BENCH_ARGON2_CONCURRENCY || undefined,
};
const TARGETS = { assetP99Ms: 100, otherTipMs: 2_000, rateShare: 0.8 };
/** The app's parameters (ARGON2_PARAMS in src/core/crypto/argon2.ts). */
const ARGON2 = { memory: 19456, passes: 2, parallelism: 1 };

/**
 * argon2id alone: `concurrency` loops hashing back to back on libuv's pool (as the app does)
 * in a fresh process, for `seconds` after one second of warm-up. Returns hashes per second.
 */
function rawArgon2Rate(concurrency, seconds) {
  const script = `
    import { argon2, randomBytes } from 'node:crypto';
    import { promisify } from 'node:util';
    const hash = promisify(argon2);
    const params = ${JSON.stringify(ARGON2)};
    const once = () => hash('argon2id', { message: randomBytes(16).toString('hex'), nonce: randomBytes(16), tagLength: 32, ...params });
    let done = 0, counting = false, stop = false;
    const loop = async () => { while (!stop) { await once(); if (counting) done++; } };
    const loops = Array.from({ length: ${concurrency} }, loop);
    await new Promise((r) => setTimeout(r, 1000));
    counting = true;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, ${seconds * 1000}));
    const elapsed = (performance.now() - t0) / 1000;
    const counted = done;
    stop = true;
    await Promise.all(loops);
    console.log(JSON.stringify({ rate: counted / elapsed }));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out).rate) : reject(new Error(`argon2id rate process exited ${code}`))));
  });
}


const percentile = (xs, p) => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The other visitors, in their own process (bench/burst-visitors.mjs), for `seconds`. */
function visitors(app, paths, csrf, seconds) {
  const args = JSON.stringify({ origin: app.origin, paths, csrf, seconds });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'burst-visitors.mjs'), args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the visitors' process exited ${code}`))));
  });
}

/** The burst: `connections` connections posting tips back to back for `seconds`. */
async function burst(app, csrf, seconds, title) {
  let n = 0;
  const statuses = {};
  const result = await autocannon({
    url: app.url('/tip'),
    connections: settings.connections,
    duration: seconds,
    timeout: 120,
    title,
    requests: [
      {
        method: 'POST',
        path: '/tip',
        setupRequest: (req) => ({
          ...req,
          headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'x-forwarded-for': someAddress() },
          body: tipBody(csrf, `bench-burst-${randomBytes(12).toString('base64url')}`, ++n),
        }),
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  return { result, statuses };
}

await runBench('burst', async () => {
  const box = machine();
  console.log('burst: machine', box);
  console.log('burst: settings', settings);
  const busy = busyWarning();
  if (busy) console.log(`burst: warning: ${busy}`);

  const dataDir = makeTmpDir();
  const env = { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${path.join(dataDir, 'burst.db')}`, TRUST_PROXY: 'true' };
  if (settings.argon2Concurrency) env.ARGON2_CONCURRENCY = settings.argon2Concurrency;
  const app = await startApp({ name: 'burst', env, logToFile: true });
  // BENCH_RAW_CONCURRENCY: for a build older than the argon2 limit, which logs none (libuv's 4 threads then).
  const concurrency = Number(/"argon2Concurrency":(\d+)/.exec(app.output())?.[1]) || Number(process.env.BENCH_RAW_CONCURRENCY);
  if (!concurrency) throw new Error('the app did not log its argon2 concurrency (set BENCH_RAW_CONCURRENCY for an older build)');
  console.log(`burst: the app runs ${concurrency} argon2id at a time`);
  await setUpOffice(app);
  const home = await fetch(app.url('/'));
  const homeHtml = await home.text();
  const css = /href="(\/assets\/app-[0-9a-f]{10}\.css)"/.exec(homeHtml)?.[1];
  const quickExit = /src="(\/assets\/quick-exit-[0-9a-f]{10}\.js)"/.exec(homeHtml)?.[1];
  if (!css || !quickExit) throw new Error('the home page names no stylesheet or quick-exit script');
  const form = await fetch(app.url('/tip'));
  const csrf = csrfOf(await form.text());
  if (!csrf) throw new Error('the tip form is not open after setup');

  const rawBefore = await rawArgon2Rate(concurrency, settings.rawSeconds);
  console.log(`burst: argon2id alone, ${concurrency} at a time: ${rawBefore.toFixed(1)}/s`);

  // Warm-up: JIT, the thread pool, SQLite's first pages; thrown away.
  await burst(app, csrf, 3, 'warm-up');

  const cpu0 = cpuSeconds(app.pid);
  const burstRun = burst(app, csrf, settings.burstSeconds, 'tip burst');
  // Let the burst fill the queue before the other visitors arrive, and stop them before it ends.
  await sleep(1_000);
  const seen = await visitors(app, ['/', css, quickExit], csrf, settings.burstSeconds - 3);
  const [pageRun, cssRun, jsRun] = seen.gets;
  const tipRun = seen.tip;
  const { result, statuses } = await burstRun;
  const cpu1 = cpuSeconds(app.pid);

  const rawAfter = await rawArgon2Rate(concurrency, settings.rawSeconds);
  console.log(`burst: argon2id alone, ${concurrency} at a time, after the burst: ${rawAfter.toFixed(1)}/s`);
  const raw = (rawBefore + rawAfter) / 2;

  const ok = statuses[200] ?? 0;
  const tipsPerSecond = ok / result.duration;
  console.log(`\nburst: ${settings.connections} connections for ${result.duration.toFixed(1)} s, load average ${box.loadavg} at start`);
  table([
    {
      run: 'tip burst',
      tips: fmt.int(ok),
      'tips/s': tipsPerSecond.toFixed(1),
      p50: fmt.ms(result.latency.p50),
      p99: fmt.ms(result.latency.p99),
      'server CPU': cpu0 === undefined || cpu1 === undefined ? 'n/a' : fmt.pct((cpu1 - cpu0) / result.duration),
      errors: result.errors,
      timeouts: result.timeouts,
      statuses: JSON.stringify(statuses),
    },
  ]);

  const rows = [
    ['GET /', pageRun, TARGETS.assetP99Ms],
    [`GET ${css}`, cssRun, TARGETS.assetP99Ms],
    [`GET ${quickExit}`, jsRun, TARGETS.assetP99Ms],
  ];
  const results = [];
  console.log('\nburst: other visitors during the burst (new connection each, br accepted)');
  table(
    rows.map(([what, run, target]) => {
      const p99 = percentile(run.samples, 99);
      const pass = p99 < target && Object.keys(run.statuses).join() === '200';
      results.push(pass);
      return {
        request: what,
        n: run.samples.length,
        p50: fmt.ms(percentile(run.samples, 50)),
        p99: fmt.ms(p99),
        max: fmt.ms(Math.max(...run.samples)),
        target: `p99 < ${target} ms`,
        statuses: JSON.stringify(run.statuses),
        result: pass ? 'PASS' : 'FAIL',
      };
    }),
  );
  const tipMax = Math.max(...tipRun.samples);
  const tipPass = tipMax < TARGETS.otherTipMs && Object.keys(tipRun.statuses).join() === '200';
  results.push(tipPass);
  const share = tipsPerSecond / raw;
  const ratePass = share >= TARGETS.rateShare && result.errors === 0 && result.timeouts === 0 && Object.keys(statuses).join() === '200';
  results.push(ratePass);
  table([
    {
      check: "another client's single tip",
      value: `n ${tipRun.samples.length}, p50 ${fmt.ms(percentile(tipRun.samples, 50))}, max ${fmt.ms(tipMax)} ${JSON.stringify(tipRun.statuses)}`,
      target: `each < ${TARGETS.otherTipMs} ms`,
      result: tipPass ? 'PASS' : 'FAIL',
    },
    {
      check: 'tips/s vs argon2id alone',
      value: `${tipsPerSecond.toFixed(1)} / ${raw.toFixed(1)} (${rawBefore.toFixed(1)} before, ${rawAfter.toFixed(1)} after) = ${fmt.pct(share)}`,
      target: `>= ${fmt.pct(TARGETS.rateShare)}`,
      result: ratePass ? 'PASS' : 'FAIL',
    },
  ]);
  console.log(`burst: load average ${machine().loadavg} at the end`);
  return results.every(Boolean);
});
