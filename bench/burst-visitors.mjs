// The other visitors of burst.bench.mjs, in a process of their own so that the load generator's
// work never delays them: GETs of the home page and its assets, each on a new connection, and one
// tipster posting a tip now and then. Prints one JSON line of latencies when `seconds` are over.
//
//   node bench/burst-visitors.mjs '{"origin":"http://127.0.0.1:PORT","paths":[...],"csrf":"…","seconds":17}'
import { randomBytes } from 'node:crypto';
import { request } from './lib.mjs';
import { BOUNDARY, tipBody } from './tip-line.mjs';

const { origin, paths, csrf, seconds, everyMs = 150, tipEveryMs = 1_500 } = JSON.parse(process.argv[2]);
const end = Date.now() + seconds * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function visitor(pathname) {
  const samples = [];
  const statuses = {};
  while (Date.now() < end) {
    const t0 = process.hrtime.bigint();
    const res = await request(origin + pathname, { headers: { 'accept-encoding': 'br, gzip' }, timeoutMs: 30_000 });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    await sleep(everyMs);
  }
  return { samples, statuses };
}

async function tipster() {
  const samples = [];
  const statuses = {};
  for (let n = 1; Date.now() < end; n++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${origin}/tip`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'x-forwarded-for': `172.16.${n % 250}.${(n % 250) + 1}` },
      body: tipBody(csrf, `bench-other-${randomBytes(12).toString('base64url')}`, n),
    });
    await res.arrayBuffer();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    await sleep(tipEveryMs);
  }
  return { samples, statuses };
}

const [tip, ...gets] = await Promise.all([tipster(), ...paths.map(visitor)]);
console.log(JSON.stringify({ tip, gets }));
