// Tip line benchmark.
//
// 1. Submissions: the built app (dist/main.js), set up through its real first-run setup page so
//    the office has a recovery key, takes multipart tip submissions from 50 connections for about
//    30 s. Each request carries its own form id and its own client address (X-Forwarded-For, with
//    TRUST_PROXY=true), as many tipsters would; one client would be throttled after 20. Reported:
//    throughput, p50/p99 latency, server CPU per tip. Afterwards the number of tips stored in the
//    database must equal the number of receipt codes handed out, and the codes must all differ.
//    autocannon runs with a fixed request count (calibrated from a warm-up to last ~30 s) rather
//    than a fixed duration: a duration run drops its last in-flight requests, whose tips the
//    server still stores, so the two counts could not be compared.
// 2. Receipt check: the cost of one receipt code check: argon2id (19 MiB, 2 passes) in this
//    process with the app's parameters, and POST /tip/follow-up end to end with a right code
//    and with a wrong one (which must cost the same), one request at a time.
//
//   npm run bench -- tips        (builds first)
//   node bench/tips.bench.mjs    (uses the existing build)
//
// BENCH_CONNECTIONS (50), BENCH_TIPS_SECONDS (30) and BENCH_TIPS_CHECKS (20) override the settings.
import { argon2, hkdfSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { busyWarning, cpuSeconds, fmt, machine, makeTmpDir, runBench, startApp, table } from './lib.mjs';
import { BOUNDARY, csrfOf, setUpOffice, someAddress, tipBody } from './tip-line.mjs';

const settings = {
  connections: Number(process.env.BENCH_CONNECTIONS) || 50,
  seconds: Number(process.env.BENCH_TIPS_SECONDS) || 30,
  checks: Number(process.env.BENCH_TIPS_CHECKS) || 20,
};
function countTips(dbFile) {
  const db = new DatabaseSync(dbFile, { readOnly: true });
  try {
    return Number(db.prepare('select count(*) as n from tips').get().n);
  } finally {
    db.close();
  }
}

/** `amount` submissions over `connections`; every response is read, so every tip sent is accounted for. */
async function submit(app, csrf, amount, title) {
  let n = 0;
  const receipts = [];
  const statuses = {};
  const result = await autocannon({
    url: app.url('/tip'),
    connections: settings.connections,
    amount,
    timeout: 120,
    title,
    requests: [
      {
        method: 'POST',
        path: '/tip',
        setupRequest: (request) => {
          n++;
          return {
            ...request,
            headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'x-forwarded-for': someAddress() },
            body: tipBody(csrf, `bench-${randomBytes(12).toString('base64url')}`, n),
          };
        },
        onResponse: (status, body) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          const code = /data-receipt[^>]*>([0-9 ]{19})</.exec(body)?.[1];
          if (status === 200 && code) receipts.push(code.replace(/ /g, ''));
        },
      },
    ],
  });
  return { result, receipts, statuses };
}

const argon2Async = promisify(argon2);

/** The app's receipt check without HTTP: one argon2id over the code, then HKDF into lookup and key. */
async function receiptCheckInProcess(times) {
  const salt = randomBytes(32);
  const samples = [];
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint();
    const master = await argon2Async('argon2id', { message: '1234567890123456', nonce: salt, tagLength: 32, memory: 19456, passes: 2, parallelism: 1 });
    hkdfSync('sha256', master, Buffer.alloc(0), 'lookup', 32);
    hkdfSync('sha256', master, Buffer.alloc(0), 'key', 32);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples;
}

/** POST /tip/follow-up one at a time, each from its own address so wrong codes are never throttled. */
async function receiptCheckOverHttp(app, code, times) {
  const page = await fetch(app.url('/tip/follow-up'));
  const csrf = csrfOf(await page.text());
  const samples = [];
  let statuses = new Set();
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(app.url('/tip/follow-up'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': someAddress() },
      body: new URLSearchParams({ _csrf: csrf, receipt: code }),
    });
    await res.arrayBuffer();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    statuses.add(res.status);
  }
  return { samples, statuses: [...statuses] };
}


const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

await runBench('tips', async () => {
  console.log('tips: machine', machine());
  console.log('tips: settings', settings);
  const busy = busyWarning();
  if (busy) console.log(`tips: warning: ${busy}`);

  const dataDir = makeTmpDir();
  const dbFile = path.join(dataDir, 'tips.db');
  const app = await startApp({ name: 'tips', env: { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dbFile}`, TRUST_PROXY: 'true' }, logToFile: true });
  await setUpOffice(app);
  const form = await fetch(app.url('/tip'));
  const html = await form.text();
  if (!html.includes('name="whatHappened"')) throw new Error('the tip form is not open after setup');
  const csrf = csrfOf(html);

  // A warm-up (the first tips pay for JIT and the thread pool), then a calibration run whose
  // rate sets the measured run's size to last about `seconds`; both are thrown away.
  await submit(app, csrf, settings.connections * 2, 'warm-up');
  const calibration = await submit(app, csrf, settings.connections * 4, 'calibration');
  const rate = calibration.result.requests.total / (calibration.result.duration || 1);
  let amount = Math.max(settings.connections * 4, Math.round(rate * settings.seconds));
  console.log(`\ntips: calibration ${calibration.result.requests.total} tips at ${rate.toFixed(1)}/s`);

  // Other work on the machine changes the rate: a run much shorter than asked is run again, resized.
  let run;
  let before;
  let cpu0;
  let cpu1;
  for (let attempt = 1; ; attempt++) {
    console.log(`tips: measuring ${amount} submissions`);
    before = countTips(dbFile);
    cpu0 = cpuSeconds(app.pid);
    run = await submit(app, csrf, amount, 'tip submissions');
    cpu1 = cpuSeconds(app.pid);
    if (attempt === 3 || run.result.duration >= settings.seconds * 0.8) break;
    amount = Math.round((amount * settings.seconds) / run.result.duration);
    console.log(`tips: that took ${run.result.duration.toFixed(1)} s, not about ${settings.seconds} s: again`);
  }
  const stored = countTips(dbFile) - before;
  const r = run.result;
  const distinct = new Set(run.receipts).size;
  table([
    {
      run: `POST /tip, ${settings.connections} connections`,
      seconds: r.duration.toFixed(1),
      tips: fmt.int(r.requests.total),
      'tips/s': (r.requests.total / r.duration).toFixed(1),
      p50: fmt.ms(r.latency.p50),
      p99: fmt.ms(r.latency.p99),
      'server CPU/tip': cpu0 === undefined || cpu1 === undefined ? 'n/a' : fmt.ms(((cpu1 - cpu0) / r.requests.total) * 1000),
      errors: r.errors,
      timeouts: r.timeouts,
      statuses: JSON.stringify(run.statuses),
    },
  ]);
  console.log(`\ntips: receipts handed out ${run.receipts.length} (${distinct} distinct); tips stored ${stored}`);
  const countsMatch = stored === run.receipts.length && distinct === run.receipts.length && run.receipts.length === amount;
  console.log(`tips: stored tips == receipts handed out: ${countsMatch ? 'PASS' : 'FAIL'}`);

  // One person alone: tips sent one after another.
  const single = [];
  for (let i = 0; i < settings.checks; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(app.url('/tip'), {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'x-forwarded-for': someAddress() },
      body: tipBody(csrf, `bench-single-${randomBytes(12).toString('base64url')}`, i),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`a single tip answered ${res.status}`);
    single.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(`\ntips: one tip at a time: median ${fmt.ms(median(single))}, mean ${fmt.ms(mean(single))} (${single.length} tips)`);

  const inProcess = await receiptCheckInProcess(settings.checks);
  const right = await receiptCheckOverHttp(app, run.receipts[0], settings.checks);
  const wrongCode = run.receipts[0].startsWith('9') ? `1${run.receipts[0].slice(1)}` : `9${run.receipts[0].slice(1)}`;
  const wrong = await receiptCheckOverHttp(app, wrongCode, settings.checks);
  console.log('\ntips: cost of one receipt check, one at a time');
  table([
    { check: 'argon2id + HKDF in this process', n: inProcess.length, median: fmt.ms(median(inProcess)), mean: fmt.ms(mean(inProcess)), statuses: '' },
    { check: 'POST /tip/follow-up, right code', n: right.samples.length, median: fmt.ms(median(right.samples)), mean: fmt.ms(mean(right.samples)), statuses: right.statuses.join(',') },
    { check: 'POST /tip/follow-up, wrong code', n: wrong.samples.length, median: fmt.ms(median(wrong.samples)), mean: fmt.ms(mean(wrong.samples)), statuses: wrong.statuses.join(',') },
  ]);
  const checksOk = right.statuses.join() === '200' && wrong.statuses.join() === '422';
  console.log(`tips: receipt checks answered 200 (right) and 422 (wrong): ${checksOk ? 'PASS' : 'FAIL'}`);
  return countsMatch && checksOk && r.errors === 0;
});
