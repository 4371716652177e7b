import { type ChildProcess, spawn } from 'node:child_process';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

/** Real processes for the multi-process tests: ports, app and worker processes, HTTPS requests. */
export const root = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A child process and everything it wrote, kept so a test can search it. */
export type Proc = { child: ChildProcess; port: number; url: string; output: () => string };

function spawnLogged(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return { child, output: () => output };
}

/** `node dist/main.js` on a port of its own, answered once `/healthz` is. */
export async function startWeb(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output } = spawnLogged([path.join(root, 'dist/main.js')], { ...env, PORT: String(port), HOST: '127.0.0.1', JOBS: 'off' });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, port, url, output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`web process did not start:\n${output()}`);
}

/** `heatwatch worker`, as its systemd unit runs it. */
export function startWorker(env: Record<string, string>): Proc {
  const { child, output } = spawnLogged([path.join(root, 'dist/cli.js'), 'worker'], env);
  return { child, port: 0, url: '', output };
}

export async function stop(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  p.child.kill('SIGTERM');
  await exited;
}

export type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

export type HttpsTarget = { port: number; ca: string; host: string };

/**
 * One HTTPS request to the proxy on loopback, from the loopback address `from` (which stands for
 * a client or a load balancer), for the site name `host`.
 */
export function httpsRequest(target: HttpsTarget, pathname: string, options: { from?: string; method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: pathname,
        method: options.method ?? 'GET',
        servername: target.host,
        ca: target.ca,
        localAddress: options.from ?? '127.0.0.1',
        agent: false,
        headers: { host: target.host, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const cookieOf = (setCookie: string | string[] | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : (setCookie ?? '')).split(';')[0]!;
