// Shared helpers for bench/*.bench.mjs: start servers as child processes on loopback, drive
// them with autocannon, measure what they cost, and always leave nothing running behind.
//
// A bench file calls `runBench(name, async () => { ...; return passed })`. Every server it starts
// through `startApp` / `startServer` is stopped when the function returns, throws, times out, or
// the process is interrupted; temporary folders are removed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export const root = path.resolve(import.meta.dirname, '..');
/** Every server and every request stays on this address. */
export const LOOPBACK = '127.0.0.1';

const children = new Set();
const tmpDirs = new Set();
/** Async clean-ups (a PostgreSQL database to drop) run however the benchmark ends, a timeout included. */
const cleanups = new Set();

/** Registers `fn` to run once when the benchmark ends, whatever way; returns a function that runs it now. */
export function onCleanup(fn) {
  let done;
  const run = () => (done ??= Promise.resolve().then(fn).finally(() => cleanups.delete(run)));
  cleanups.add(run);
  return run;
}

/** Stops the servers, then runs the clean-ups, giving them `limitMs` at most. */
async function runCleanups(limitMs = 15_000) {
  if (cleanups.size === 0) return;
  await stopAll().catch(() => {});
  const all = Promise.allSettled([...cleanups].map((run) => run()));
  await Promise.race([all, new Promise((r) => setTimeout(r, limitMs).unref())]);
}

function killAllNow() {
  for (const server of children) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      try {
        server.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  tmpDirs.clear();
}

// Last line of defence: whatever way this process ends, its servers end with it.
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the benchmark`);
    runCleanups().finally(() => {
      killAllNow();
      process.exit(128 + (os.constants.signals[signal] ?? 0));
    });
  });
}
process.on('uncaughtException', (error) => {
  console.error(error);
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Runs one benchmark with a hard time limit (BENCH_TIMEOUT_MS, default 5 min), stops every
 * server it started, prints PASS/FAIL and exits with 0 or 1.
 */
export async function runBench(name, fn, { timeoutMs = Number(process.env.BENCH_TIMEOUT_MS) || 300_000 } = {}) {
  const timer = setTimeout(() => {
    console.error(`\n${name}: timed out after ${timeoutMs / 1000} s`);
    console.log(`\n${name}: FAIL`);
    runCleanups().finally(() => process.exit(1));
  }, timeoutMs);
  let passed = false;
  try {
    passed = (await fn()) === true;
  } catch (error) {
    console.error(`\n${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    passed = false;
  } finally {
    clearTimeout(timer);
    await stopAll();
    await runCleanups();
  }
  console.log(`\n${name}: ${passed ? 'PASS' : 'FAIL'}`);
  process.exit(passed ? 0 : 1);
}

export async function stopAll() {
  await Promise.all([...children].map((server) => server.stop()));
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  tmpDirs.clear();
}

export function makeTmpDir(prefix = 'heatwatch-bench-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.add(dir);
  return dir;
}

/** A port nobody listens on right now (the server binds it a moment later). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Only what a server needs from our environment, so a developer's REDIS_URL or SMTP_URL never leaks in. */
function baseEnv() {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

/**
 * Starts `node <script>` with HOST=127.0.0.1 and a free PORT, waits until `healthPath` answers
 * 200, and returns a handle. Output is echoed with the server's name as prefix.
 */
export async function startServer({ name, script, cwd = root, env = {}, args = [], nodeArgs = [], healthPath = '/healthz', startTimeoutMs = 30_000, stdoutFile }) {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: every server writes V8 CPU profiles into <dir>/<name>-<time>/ when it
  // stops, one per thread (Node's own names carry the thread id; one fixed name would let the
  // argon2 workers' profiles overwrite the main thread's).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.join(path.resolve(process.env.BENCH_CPU_PROF), `${name}-${Date.now()}`)] : [];
  // stdoutFile: the server writes its standard output (its log) straight into a file, as it would
  // into a log collector; echoing tens of thousands of request lines a second through this process
  // would take the CPU the load generator needs.
  const stdoutFd = stdoutFile ? fs.openSync(stdoutFile, 'a') : undefined;
  const child = spawn(process.execPath, [...profile, ...nodeArgs, script, ...args], {
    cwd,
    env: { ...baseEnv(), ...env, HOST: LOOPBACK, PORT: String(port) },
    stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
  });
  if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
  const output = [];
  const echo = (stream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        output.push(line);
        if (output.length > 200) output.shift();
        console.log(`  [${name}] ${line}`);
      }
    });
  };
  if (child.stdout) echo(child.stdout);
  echo(child.stderr);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const server = {
    name,
    port,
    pid: child.pid,
    child,
    origin: `http://${LOOPBACK}:${port}`,
    url: (p = '/') => `http://${LOOPBACK}:${port}${p}`,
    /** The last lines the server printed (read from `stdoutFile` when its output goes there). */
    output: () => (stdoutFile ? fs.readFileSync(stdoutFile, 'utf8') : output.join('\n')),
    /** SIGTERM (the app closes cleanly), SIGKILL after 5 s. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
      // Only now: until it has exited, an interrupt must still be able to kill it.
      children.delete(server);
    },
  };
  children.add(server);

  const deadline = Date.now() + startTimeoutMs;
  let ended;
  exited.then((e) => (ended = e));
  for (;;) {
    if (ended) throw new Error(`${name} exited during start-up (code ${ended.code}, signal ${ended.signal})`);
    try {
      const res = await request(server.url(healthPath), { timeoutMs: 1_000 });
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer ${healthPath} within ${startTimeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A private copy of the build: dist/, public/, locales/ and content/ copied into a temporary
 * root (node_modules and package.json linked). The app finds everything relative to its own
 * file, so this copy runs exactly like the original, and a rebuild elsewhere during the run
 * (a test run rewrites public/assets with new hashes) cannot pull files from under it.
 */
export function snapshotBuild() {
  const main = path.join(root, 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run "npm run build" (npm run bench does it for you)`);
  for (let attempt = 1; ; attempt++) {
    const copy = makeTmpDir('heatwatch-build-');
    for (const dir of ['dist', 'public', 'locales', 'content']) {
      if (fs.existsSync(path.join(root, dir))) fs.cpSync(path.join(root, dir), path.join(copy, dir), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    fs.symlinkSync(path.join(root, 'package.json'), path.join(copy, 'package.json'));
    // A copy taken while a build was rewriting public/assets is incomplete: take another.
    const manifestFile = path.join(copy, 'public', 'assets', 'manifest.json');
    let complete = false;
    try {
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      complete = Object.values(manifest).every((f) => fs.existsSync(path.join(copy, 'public', 'assets', f)));
    } catch {
      complete = false;
    }
    if (complete) return copy;
    if (attempt === 5) throw new Error('public/assets keeps changing (a build is running?): no consistent copy of the build');
  }
}

/**
 * The built app (dist/main.js, from a private copy of the build) on its own SQLite database in
 * a temporary folder, migrated from scratch at start-up (so the office has its demo settings).
 * It runs at the default log level (`info`: one line per request), as an office runs it; with
 * `logToFile` its log goes to `server.logFile` instead of being echoed.
 */
export async function startApp({ name = 'app', env = {}, nodeArgs = [], buildDir = snapshotBuild(), logToFile = false } = {}) {
  const dataDir = makeTmpDir();
  const logFile = logToFile ? path.join(makeTmpDir('heatwatch-log-'), `${name}.log`) : undefined;
  const server = await startServer({
    name,
    script: path.join(buildDir, 'dist', 'main.js'),
    cwd: buildDir,
    nodeArgs,
    stdoutFile: logFile,
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${path.join(dataDir, 'bench.db')}`,
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  server.logFile = logFile;
  /** Root of the copy the app runs from: its public/assets are the files it serves. */
  server.buildDir = buildDir;
  return server;
}

/**
 * One GET on loopback that returns the raw body bytes exactly as sent (compressed bodies stay
 * compressed, unlike fetch), with status and headers.
 */
export function request(url, { headers = {}, timeoutMs = 10_000 } = {}) {
  const target = new URL(url);
  if (target.hostname !== LOOPBACK) return Promise.reject(new Error(`refusing to fetch ${url}: benchmarks stay on ${LOOPBACK}`));
  return new Promise((resolve, reject) => {
    const req = http.get(target, { headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.on('error', reject);
  });
}

/** CPU seconds (user + system, all threads) a process has used so far; undefined off Linux. */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Load test: `warmup` seconds that are thrown away, then `duration` seconds measured, with
 * `connections` keep-alive connections. Also reports how busy the server process and this
 * load-generating process were, to show which side was the bottleneck.
 */
export async function load(server, pathname = '/', { connections = 50, duration = 10, warmup = 2, headers = {}, title } = {}) {
  const url = server.url(pathname);
  if (warmup > 0) await autocannon({ url, connections, duration: warmup, headers });
  const serverCpu0 = cpuSeconds(server.pid);
  const selfCpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = await autocannon({ url, connections, duration, headers, title });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const serverCpu1 = cpuSeconds(server.pid);
  const selfCpu = process.cpuUsage(selfCpu0);
  return {
    title: title ?? `${server.name} ${pathname}`,
    rps: result.requests.average,
    totalRequests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytesPerResponse: result.requests.total ? result.throughput.total / result.requests.total : 0,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    serverCpu: serverCpu0 === undefined || serverCpu1 === undefined ? undefined : (serverCpu1 - serverCpu0) / wall,
    /** Server CPU time per response: the cost of a request, much less sensitive than req/s to other load on the machine. */
    cpuPerRequest:
      serverCpu0 === undefined || serverCpu1 === undefined || !result.requests.total ? undefined : (serverCpu1 - serverCpu0) / result.requests.total,
    loadgenCpu: (selfCpu.user + selfCpu.system) / 1e6 / wall,
  };
}

/** Prints rows (objects with the same keys) as an aligned text table. */
export function table(rows) {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const cells = [keys, ...rows.map((r) => keys.map((k) => String(r[k] ?? '')))];
  const widths = keys.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log(line(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells.slice(1)) console.log(line(c));
}

export const fmt = {
  int: (n) => Math.round(n).toLocaleString('en-US'),
  ms: (n) => `${n.toFixed(n < 10 ? 2 : 1)} ms`,
  pct: (n) => (n === undefined ? 'n/a' : `${Math.round(n * 100)}%`),
  us: (seconds) => (seconds === undefined ? 'n/a' : `${Math.round(seconds * 1e6)} µs`),
  kb: (bytes) => `${(bytes / 1000).toFixed(1)} kB`,
};

/** Node version, CPU model and count, memory: printed with every run so figures carry their machine. */
export function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model ?? 'unknown',
    cpus: os.availableParallelism(),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    /** Other work on the machine skews every figure: a load average near the CPU count means a busy machine. */
    loadavg: os.loadavg().map((n) => n.toFixed(2)).join(' '),
  };
}

/** A warning when other work keeps the machine busy (1-minute load average ≥ half the CPUs): figures then vary run to run. */
export function busyWarning() {
  const [one] = os.loadavg();
  const cpus = os.availableParallelism();
  if (one < cpus / 2) return undefined;
  return `load average ${one.toFixed(2)} on ${cpus} CPUs: other processes compete with the benchmark, so req/s and latency vary from run to run (CPU/req varies less)`;
}
