// Runs the benchmarks: every bench/*.bench.mjs in name order, or the ones named on the command line.
//
//   npm run bench                 all of them (after a build)
//   npm run bench -- home tips    only bench/home.bench.mjs and bench/tips.bench.mjs
//   node bench/run.mjs --list     names only
//
// Each benchmark runs in its own process group, one after the other, so its servers never compete
// with the next one and can all be stopped together. A benchmark that outlives BENCH_FILE_TIMEOUT_MS
// (default 10 min) is stopped and counts as failed. Exit code: 0 when every benchmark passed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const benchDir = import.meta.dirname;
const SUFFIX = '.bench.mjs';
const fileTimeoutMs = Number(process.env.BENCH_FILE_TIMEOUT_MS) || 600_000;

const available = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith(SUFFIX))
  .map((f) => f.slice(0, -SUFFIX.length))
  .sort();

const args = process.argv.slice(2);
if (args.includes('--list')) {
  console.log(available.join('\n'));
  process.exit(0);
}
const unknown = args.filter((a) => !available.includes(a.replace(/\.bench\.mjs$/, '')));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
const selected = args.length > 0 ? [...new Set(args.map((a) => a.replace(/\.bench\.mjs$/, '')))] : available;

let current;
let interrupted = false;

/** SIGTERM to the benchmark's whole process group (it and the servers it started), SIGKILL 10 s later. */
function stopCurrent() {
  const child = current;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // group already gone
    }
  };
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), 10_000).unref();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupted = true;
    stopCurrent();
  });
}

function runOne(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Detached: a process group of its own, so a timeout or Ctrl-C can stop it and its servers at once.
    const child = spawn(process.execPath, [path.join(benchDir, `${name}${SUFFIX}`)], { stdio: 'inherit', detached: true });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\nbench: ${name} still running after ${fileTimeoutMs / 1000} s: stopping it`);
      stopCurrent();
    }, fileTimeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ name, passed: code === 0 && !timedOut, code, signal, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const results = [];
for (const name of selected) {
  if (interrupted) break;
  console.log(`\n=== bench: ${name} ===`);
  results.push(await runOne(name));
}

console.log('\n=== bench: summary ===');
for (const r of results) {
  const how = r.signal ? `signal ${r.signal}` : `exit ${r.code}`;
  console.log(`${r.passed ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds.toFixed(1)} s, ${how})`);
}
if (interrupted) console.log('interrupted');
process.exit(!interrupted && results.length > 0 && results.every((r) => r.passed) ? 0 : 1);
