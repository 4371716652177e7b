// Home page benchmark (foundation).
//
// 1. Throughput: the built app (dist/main.js) serving GET / against a bare Fastify process
//    (bench/baseline-server.mjs) serving the very same HTML bytes. Target: app ≥ 50% of baseline.
// 2. Weight: compressed bytes of the home HTML plus every stylesheet and script it references,
//    with Accept-Encoding: br and with gzip. Target: ≤ 60 kB (60,000 bytes) each.
//
//   npm run bench -- home        (builds first)
//   node bench/home.bench.mjs    (uses the existing build)
//
// BENCH_CONNECTIONS (50), BENCH_DURATION (10 s) and BENCH_WARMUP (2 s) override the load settings.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { busyWarning, fmt, load, machine, makeTmpDir, request, root, runBench, startApp, startServer, table } from './lib.mjs';

const THROUGHPUT_TARGET = 0.5;
const WEIGHT_TARGET_BYTES = 60_000;
const settings = {
  connections: Number(process.env.BENCH_CONNECTIONS) || 50,
  duration: Number(process.env.BENCH_DURATION) || 10,
  warmup: Number(process.env.BENCH_WARMUP ?? 2),
};
/** What current browsers send. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

await runBench('home', async () => {
  console.log('home: machine', machine());
  console.log('home: load settings', settings);
  const busy = busyWarning();
  if (busy) console.log(`home: warning: ${busy}`);

  const app = await startApp();
  const home = await request(app.url('/'));
  if (home.status !== 200) throw new Error(`GET / answered ${home.status}`);
  const contentType = home.headers['content-type'];
  if (!String(contentType).startsWith('text/html')) throw new Error(`GET / is ${contentType}, not HTML`);
  console.log(`home: GET / is ${home.body.length} bytes of ${contentType}`);

  const throughputPassed = await throughput(app, home.body, contentType);
  const weightPassed = await weight(app);
  return throughputPassed && weightPassed;
});

async function throughput(app, html, contentType) {
  const dir = makeTmpDir('heatwatch-baseline-');
  const bodyFile = path.join(dir, 'home.html');
  const brFile = path.join(dir, 'home.html.br');
  fs.writeFileSync(bodyFile, html);
  fs.writeFileSync(brFile, zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  const baseline = await startServer({
    name: 'baseline',
    script: path.join(root, 'bench', 'baseline-server.mjs'),
    env: { BASELINE_BODY: bodyFile, BASELINE_BODY_BR: brFile, BASELINE_CONTENT_TYPE: contentType },
  });
  const check = await request(baseline.url('/'));
  if (!check.body.equals(html) || check.headers['content-type'] !== contentType) {
    throw new Error('the baseline does not serve the same bytes and content type as the app');
  }

  console.log('\nhome: throughput (one run at a time, the other server idle)');
  const appRun = await load(app, '/', { ...settings, title: 'app GET / (rendered, cached)' });
  const baseRun = await load(baseline, '/', { ...settings, title: 'baseline GET / (same bytes)' });
  // Informational, not part of PASS/FAIL: what a browser actually gets, compressed.
  const appBrowser = await load(app, '/', {
    ...settings,
    headers: { 'accept-encoding': BROWSER_ACCEPT_ENCODING },
    title: 'app GET /, browser Accept-Encoding',
  });
  const baseBr = await load(baseline, '/br', { ...settings, title: 'baseline precomputed br bytes' });

  const runs = [appRun, baseRun, appBrowser, baseBr];
  table(
    runs.map((r) => ({
      run: r.title,
      'req/s': fmt.int(r.rps),
      p50: fmt.ms(r.p50),
      p99: fmt.ms(r.p99),
      'bytes/resp': fmt.int(r.bytesPerResponse),
      'server CPU': fmt.pct(r.serverCpu),
      'CPU/req': fmt.us(r.cpuPerRequest),
      'loadgen CPU': fmt.pct(r.loadgenCpu),
      'errors/non2xx': `${r.errors}/${r.non2xx}`,
    })),
  );

  const busy = busyWarning();
  if (busy) console.log(`home: warning after the runs: ${busy}`);
  const invalid = runs.filter((r) => r.errors > 0 || r.timeouts > 0 || r.non2xx > 0 || r.totalRequests === 0);
  for (const r of invalid) console.log(`home: ${r.title} had errors, timeouts or non-2xx answers: its figures are not valid`);
  if (baseRun.serverCpu !== undefined && baseRun.serverCpu < 0.9) {
    console.log(
      'home: note: the baseline server did not use a full CPU (the load generator or other processes limited it), so its req/s is understated and the ratio flatters the app',
    );
  }
  const ratio = appRun.rps / baseRun.rps;
  const passed = invalid.length === 0 && ratio >= THROUGHPUT_TARGET;
  console.log(
    `home: rendered / baseline = ${fmt.int(appRun.rps)} / ${fmt.int(baseRun.rps)} req/s = ${fmt.pct(ratio)}` +
      ` (target ≥ ${fmt.pct(THROUGHPUT_TARGET)}); p99 ${fmt.ms(appRun.p99)} vs ${fmt.ms(baseRun.p99)}: ${passed ? 'PASS' : 'FAIL'}`,
  );
  if (appRun.cpuPerRequest !== undefined && baseRun.cpuPerRequest !== undefined) {
    console.log(
      `home: server CPU per request: app ${fmt.us(appRun.cpuPerRequest)} vs baseline ${fmt.us(baseRun.cpuPerRequest)}` +
        ` (baseline/app = ${fmt.pct(baseRun.cpuPerRequest / appRun.cpuPerRequest)}, the ratio a CPU-bound server would show)`,
    );
  }
  console.log(
    `home: informational: browser-like requests (compressed per request) ${fmt.int(appBrowser.rps)} req/s` +
      ` = ${fmt.pct(appBrowser.rps / baseBr.rps)} of precomputed br bytes, ${fmt.pct(appBrowser.rps / baseRun.rps)} of the uncompressed baseline`,
  );
  await baseline.stop();
  return passed;
}

/** Stylesheets and scripts a page makes the browser download, as absolute URLs. */
function referencedAssets(html, pageUrl) {
  const attrs = (tag) => {
    const out = {};
    for (const m of tag.matchAll(/([^\s=<>"'/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/g)) {
      out[m[1].toLowerCase()] = (m[2] ?? m[3] ?? m[4]).replaceAll('&amp;', '&');
    }
    return out;
  };
  const urls = new Map();
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const a = attrs(tag);
    const rel = (a.rel ?? '').toLowerCase().split(/\s+/);
    const fetched =
      rel.includes('stylesheet') || rel.includes('modulepreload') || (rel.includes('preload') && ['style', 'script'].includes(a.as));
    if (fetched && a.href) urls.set(new URL(a.href, pageUrl).href, rel.includes('stylesheet') ? 'css' : 'preload');
  }
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const a = attrs(tag);
    if (a.src) urls.set(new URL(a.src, pageUrl).href, 'js');
  }
  return urls;
}

async function weight(app) {
  const assetsDir = path.join(app.buildDir, 'public', 'assets');
  const rows = [];
  let passed = true;
  const totals = {};
  for (const encoding of ['br', 'gzip']) {
    const headers = { 'accept-encoding': encoding };
    const page = await request(app.url('/'), { headers });
    const decode = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync }[page.headers['content-encoding']] ?? ((b) => b);
    const html = decode(page.body).toString('utf8');
    const items = [{ kind: 'html', url: app.url('/'), res: page }];
    for (const [url, kind] of referencedAssets(html, app.url('/'))) {
      if (new URL(url).origin !== app.origin) {
        console.log(`home: ${url} is on another origin: not fetched (benchmarks stay on loopback), not counted`);
        passed = false;
        continue;
      }
      items.push({ kind, url, res: await request(url, { headers }) });
    }
    let total = 0;
    for (const { kind, url, res } of items) {
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      const pathname = new URL(url).pathname;
      const sent = res.headers['content-encoding'] ?? 'identity';
      let source = 'compressed per request';
      if (pathname.startsWith('/assets/')) {
        const file = path.join(assetsDir, `${path.basename(pathname)}.${encoding === 'br' ? 'br' : 'gz'}`);
        source = fs.existsSync(file) && fs.readFileSync(file).equals(res.body) ? 'precompressed file' : 'NOT the precompressed file';
      }
      if (sent === 'identity') source = 'sent uncompressed';
      total += res.body.length;
      rows.push({ encoding, kind, path: pathname, 'content-encoding': sent, bytes: fmt.int(res.body.length), source });
    }
    totals[encoding] = total;
    rows.push({ encoding, kind: 'total', path: '', 'content-encoding': '', bytes: fmt.int(total), source: fmt.kb(total) });
  }
  console.log('\nhome: transfer size (response bodies, compressed as sent)');
  table(rows);
  for (const [encoding, total] of Object.entries(totals)) {
    const ok = total <= WEIGHT_TARGET_BYTES;
    passed &&= ok;
    console.log(`home: ${encoding} total ${fmt.int(total)} bytes (target ≤ ${fmt.int(WEIGHT_TARGET_BYTES)}): ${ok ? 'PASS' : 'FAIL'}`);
  }
  return passed;
}
