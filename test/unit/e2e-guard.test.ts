import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserUnavailable } from '../helpers/browser.ts';

/**
 * A browser suite that skips on CI passes while testing nothing. The shared guard
 * (`browserUnavailable`) throws there instead, so every file under test/e2e must skip only
 * through it: one `describe.skipIf(browserUnavailable())` around all of its tests, and no other
 * way of skipping (`.skip`, `.skipIf`, `.runIf`, `.todo`, `.only`, a test context's `skip()`),
 * nor a check of its own for the browser or for CI. Each file is read with the TypeScript parser.
 */

const E2E_DIR = path.resolve(import.meta.dirname, '../e2e');
const GUARD_MODULE = path.resolve(import.meta.dirname, '../helpers/browser.ts');
const RUNNERS = new Set(['describe', 'suite', 'test', 'it', 'bench']);
const SKIPPING = new Set(['skip', 'skipIf', 'runIf', 'todo', 'only']);

/** Every file the e2e and pg-e2e projects would run (`test/e2e/**\/*.test.ts`). */
function e2eFiles(dir = E2E_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return e2eFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** `describe.skipIf(browserUnavailable())(title, () => { … })`, exactly: no other condition, no argument. */
function isGuard(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || !ts.isCallExpression(node.expression)) return false;
  const inner = node.expression;
  const callee = inner.expression;
  const [condition, ...extra] = inner.arguments;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'describe' &&
    callee.name.text === 'skipIf' &&
    extra.length === 0 &&
    condition !== undefined &&
    ts.isCallExpression(condition) &&
    ts.isIdentifier(condition.expression) &&
    condition.expression.text === 'browserUnavailable' &&
    condition.arguments.length === 0 &&
    node.arguments.length === 2 &&
    (ts.isArrowFunction(node.arguments[1]!) || ts.isFunctionExpression(node.arguments[1]!))
  );
}

/** The identifier a call chain starts from: `test` in `test.each(rows)(name, fn)`. */
function rootName(expression: ts.Expression): string | undefined {
  let e: ts.Expression = expression;
  while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
  return ts.isIdentifier(e) ? e.text : undefined;
}

/** What keeps one e2e file from skipping only through the shared guard; empty when it does. */
function guardProblems(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const problems: string[] = [];
  const at = (node: ts.Node) => `line ${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;

  const imported = file.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      path.resolve(path.dirname(fileName), s.moduleSpecifier.text).replace(/(\.ts)?$/, '.ts') === GUARD_MODULE &&
      s.importClause?.namedBindings !== undefined &&
      ts.isNamedImports(s.importClause.namedBindings) &&
      s.importClause.namedBindings.elements.some((e) => e.name.text === 'browserUnavailable' && !e.propertyName),
  );
  if (!imported) problems.push('does not import browserUnavailable from test/helpers/browser.ts');

  const guards = file.statements.filter((s): s is ts.ExpressionStatement => ts.isExpressionStatement(s) && isGuard(s.expression));
  if (guards.length !== 1) problems.push(`has ${guards.length} top-level describe.skipIf(browserUnavailable()) blocks, not 1`);
  const guard = guards[0]?.expression as ts.CallExpression | undefined;
  const body = guard?.arguments[1];

  const visit = (node: ts.Node, inside: boolean) => {
    if (node === guard) {
      visit(guard.arguments[0]!, false);
      ts.forEachChild(body!, (child) => visit(child, true));
      return;
    }
    // A chain such as test.each(rows)(name, fn) is reported once, at its outermost call.
    const chained = node.parent !== undefined && ts.isCallExpression(node.parent) && node.parent.expression === node;
    if (ts.isCallExpression(node) && !inside && !chained && RUNNERS.has(rootName(node.expression) ?? '')) {
      problems.push(`${at(node)}: ${rootName(node.expression)}(…) outside the guarded describe`);
    }
    if (ts.isIdentifier(node) && SKIPPING.has(node.text)) problems.push(`${at(node)}: skips another way (${node.text})`);
    if (ts.isIdentifier(node) && node.text === 'browserUnavailable' && !ts.isImportSpecifier(node.parent)) {
      problems.push(`${at(node)}: browserUnavailable used outside the guard`);
    }
    if (ts.isIdentifier(node) && node.text === 'CHROMIUM_PATH') problems.push(`${at(node)}: looks for the browser itself`);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && node.name.text === 'env') {
      problems.push(`${at(node)}: reads process.env (only the shared guard decides what CI means)`);
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /\/chrom(e|ium)\b/i.test(node.text)) {
      problems.push(`${at(node)}: looks for the browser itself (${node.text})`);
    }
    if (ts.isImportSpecifier(node) && node.propertyName && RUNNERS.has(node.propertyName.text)) {
      problems.push(`${at(node)}: imports ${node.propertyName.text} under another name`);
    }
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(file, false);
  return problems;
}

describe('every browser test file', () => {
  const files = e2eFiles();

  it('is found', () => {
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['tip.test.ts', 'public.test.ts', 'map1193-offline.test.ts']));
  });

  it.each(files.map((f) => [path.relative(E2E_DIR, f), f]))('%s skips only through the shared guard', (_name, file) => {
    expect(guardProblems(file!, fs.readFileSync(file!, 'utf8'))).toEqual([]);
  });
});

describe('the guard check', () => {
  const file = path.join(E2E_DIR, 'sample.test.ts');
  const header = "import { describe, test } from 'vitest';\nimport { browserUnavailable, setupBrowserSuite } from '../helpers/browser.ts';\n";
  const guarded = (inner: string) => `${header}describe.skipIf(browserUnavailable())('in Chromium', () => {\n  const s = setupBrowserSuite();\n${inner}\n});\n`;

  it('accepts a file whose tests are all inside the guard', () => {
    expect(guardProblems(file, guarded("  test('a', async () => { await s.newPage(); });\n  describe('more', () => { test.each([1, 2])('b %i', () => {}); });"))).toEqual([]);
  });

  it.each([
    ['a describe.skip of its own', `${header}describe.skip('x', () => { test('a', () => {}); });`],
    ['its own Chromium check', guarded("  test.skipIf(!require('node:fs').existsSync('/usr/bin/chromium'))('a', () => {});")],
    ['a skipped test', guarded("  test.skip('a', () => {});")],
    ['a test that skips itself', guarded("  test('a', (ctx) => { ctx.skip(); });")],
    ['a test that runs only off CI', guarded("  test.runIf(!process.env.CI)('a', () => {});")],
    ['a test outside the guard', `${guarded("  test('a', () => {});")}test('b', () => {});\n`],
    ['a guard with a condition of its own', `${header}describe.skipIf(browserUnavailable() || Math.random() > 0.5)('x', () => { test('a', () => {}); });`],
    ['a guard given another browser path', `${header}describe.skipIf(browserUnavailable('/opt/none'))('x', () => { test('a', () => {}); });`],
    ['a guard of its own making', `import { describe, test } from 'vitest';\nconst browserUnavailable = () => true;\ndescribe.skipIf(browserUnavailable())('x', () => { test('a', () => {}); });`],
    ['a renamed test function', `import { describe, test as check } from 'vitest';\nimport { browserUnavailable } from '../helpers/browser.ts';\ndescribe.skipIf(browserUnavailable())('x', () => {});\ncheck('a', () => {});`],
    ['a second guard', `${guarded('')}describe.skipIf(browserUnavailable())('y', () => {});\n`],
  ])('refuses %s', (_what, source) => {
    expect(guardProblems(file, source)).not.toEqual([]);
  });
});

describe('the shared guard', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fails the run on CI when the browser is missing', () => {
    vi.stubEnv('CI', 'true');
    expect(() => browserUnavailable('/nonexistent/chromium')).toThrow(/cannot run on CI/);
  });

  it('skips with a warning off CI, and runs when the browser is there', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(browserUnavailable('/nonexistent/chromium')).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Skipping browser tests'));
    vi.stubEnv('CI', 'true');
    expect(browserUnavailable(process.execPath)).toBe(false);
  });
});
