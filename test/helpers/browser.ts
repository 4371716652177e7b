import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from './app.ts';

/** Debian's Chromium (`apt-get install chromium`); playwright-core ships no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * True when the browser suite must be skipped. On CI a missing browser is a broken machine, so it
 * throws instead: a suite that silently skips there would pass while testing nothing.
 */
export function browserUnavailable(executable = CHROMIUM_PATH): boolean {
  if (fs.existsSync(executable)) return false;
  const message = `${executable} not found: install it with \`apt-get install -y chromium\``;
  if (process.env.CI) throw new Error(`Browser tests cannot run on CI: ${message}`);
  console.warn(`\n⚠ Skipping browser tests: ${message}.\n`);
  return true;
}

/**
 * Launches headless Chromium with everything that would reach the network switched off.
 * `resolveLocalhost` also maps "localhost" to the loopback address: WebAuthn needs a secure
 * context and a domain as relying party; http://localhost is both, http://127.0.0.1 only the first.
 */
export function launchChromium(options: { resolveLocalhost?: boolean } = {}): Promise<Browser> {
  const localhost = options.resolveLocalhost ? 'MAP localhost 127.0.0.1, ' : '';
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Any host but the loopback address fails to resolve, so a stray link can never leave the machine.
      `--host-resolver-rules=${localhost}MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
    ],
  });
}

/** The real app listening on an ephemeral loopback port. */
export async function startSite(): Promise<{ site: TestApp; baseUrl: string }> {
  const site = await createTestApp();
  // createTestApp has already called ready(); Fastify's listen() accepts an app that is ready.
  const address = await site.app.listen({ host: '127.0.0.1', port: 0 });
  return { site, baseUrl: address };
}

/**
 * A tiny page off the site, standing in for the office's quick-exit destination (a weather or
 * search page in production) so the tests never leave the machine.
 */
export async function startNeutralServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end('<!doctype html><html lang="en"><title>Weather</title><h1>Sunny, 21°</h1></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/neutral`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export type BrowserSuite = {
  site: TestApp;
  browser: Browser;
  baseUrl: string;
  /** Where the quick exit leads: a page on a second local server. */
  neutralUrl: string;
  /**
   * A new tab (its own, empty history) in a context shared by every test asking for the same
   * options: a context per test would cost a fifth of a second each. Closed after the test.
   */
  newPage(options?: BrowserContextOptions): Promise<Page>;
};

/**
 * Registers the hooks for one test file (call it inside the describe block): the app, a
 * neutral quick-exit target, and one Chromium for the whole file. The office's quick-exit URL
 * is pointed at the neutral page before any test runs, so no page ever links off the machine.
 */
export function setupBrowserSuite(): BrowserSuite {
  const contexts = new Map<string, Promise<BrowserContext>>();
  let pages: Page[] = [];
  let neutral: Awaited<ReturnType<typeof startNeutralServer>> | undefined;
  const suite = {
    async newPage(options: BrowserContextOptions = {}) {
      const key = JSON.stringify(options);
      let context = contexts.get(key);
      if (!context) contexts.set(key, (context = suite.browser.newContext(options)));
      const page = await (await context).newPage();
      pages.push(page);
      return page;
    },
  } as BrowserSuite;

  beforeAll(async () => {
    neutral = await startNeutralServer();
    suite.neutralUrl = neutral.url;
    const { site, baseUrl } = await startSite();
    suite.site = site;
    suite.baseUrl = baseUrl;
    await site.app.services.settings.update({ quickExitUrl: neutral.url });
    suite.browser = await launchChromium();
  });

  afterEach(async () => {
    await Promise.all(pages.map((page) => page.close()));
    pages = [];
  });

  afterAll(async () => {
    await suite.browser?.close();
    await suite.site?.close();
    await neutral?.close();
  });

  return suite;
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** The tag set we hold every page to: WCAG 2.0–2.2 A and AA plus axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/**
 * Runs axe-core in the page and returns its violations.
 *
 * The site's CSP is `script-src 'self'`, so `page.addScriptTag({ content })` (an inline script)
 * would be refused. A `bypassCSP` context would work but would also switch the CSP off for the
 * page under test. Instead the source is evaluated through the DevTools protocol
 * (`page.evaluate` with a string), which CSP does not govern: the page keeps its real policy
 * and axe still installs itself as `window.axe`.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const installed = await page.evaluate(() => 'axe' in window);
  if (!installed) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, AXE_TAGS);
}

/** One line per violation and one per offending element, for an assertion message. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)}`).join('\n')}`)
    .join('\n');
}

/**
 * Where a browser suite saves the pictures it takes when asked to (`scripts/screenshots.sh`
 * sets the variable); undefined when nobody asked. Read here so e2e files never read the
 * environment themselves (test/unit/e2e-guard.test.ts).
 */
export function screenshotFolder(variable: 'SCREENSHOTS_DIR' | 'LAYOUT_SCREENSHOTS'): string | undefined {
  return process.env[variable] || undefined;
}
