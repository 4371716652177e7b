import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The boundary findings for `code` as if it were the file at `file`; a parse error fails the test. */
async function boundaryRules(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.map((m) => m.ruleId ?? '').filter((id) => id.startsWith('boundaries/'));
}

type Case = [what: string, file: string, code: string];

const refused: [...Case, rule: string][] = [
  ['core importing a module', 'src/core/http/probe.ts', "import { accountsModule } from '../../modules/accounts/index.ts';\nexport { accountsModule };", 'core-imports-module'],
  ['core importing only types of a module', 'src/core/probe.ts', "import type { TipRow } from '../modules/tips/tables.ts';\nexport type T = TipRow;", 'core-imports-module'],
  ['core loading a module at run time', 'src/core/jobs/probe.ts', "export const load = () => import('../../modules/tips/index.ts');", 'core-imports-module'],
  ["a module importing another module's repo", 'src/modules/news/probe.ts', "import * as repo from '../accounts/repo.ts';\nexport { repo };", 'module-imports-module'],
  ["a module's view importing another module's file", 'src/modules/news/views/probe.tsx', "import { openTipKey } from '../../tips/crypto.ts';\nexport { openTipKey };", 'module-imports-module'],
  ["a module re-exporting another module's file", 'src/modules/pages/probe.ts', "export * from '../map1193/enforcement.repo.ts';", 'module-imports-module'],
  ["a module importing another module's tables, even as types", 'src/modules/news/probe.ts', "import type { AccountRow } from '../accounts/tables.ts';\nexport type A = AccountRow;", 'module-imports-module'],
  ['a root file importing a module file other than its index', 'src/probe.ts', "import { runBusinessImport } from './modules/map1193/import.ts';\nexport { runBusinessImport };", 'module-imports-module'],
  ["a root file importing a module's tables as values", 'src/probe.ts', "import * as tables from './modules/accounts/tables.ts';\nexport { tables };", 'module-imports-module'],
  ['client code importing server code', 'src/client/probe.ts', "import { createTranslator } from '../core/i18n/catalog.ts';\nexport { createTranslator };", 'client-imports-server'],
  ['client code importing a module', 'src/client/map1193-offline/probe.ts', "import { IMPORT_USAGE } from '../../modules/map1193/index.ts';\nexport { IMPORT_USAGE };", 'client-imports-server'],
  ['client code importing a server package', 'src/client/probe.ts', "import { Kysely } from 'kysely';\nexport { Kysely };", 'client-imports-server'],
  ['client code importing a Node built-in', 'src/client/probe.ts', "import fs from 'node:fs';\nexport { fs };", 'client-imports-server'],
  ['client code importing a types-only package as values', 'src/client/probe.ts', "import { generateAuthenticationOptions } from '@simplewebauthn/server';\nexport { generateAuthenticationOptions };", 'client-imports-server'],
  ['a route file importing its repo', 'src/modules/news/probe.routes.ts', "import * as repo from './repo.ts';\nexport { repo };", 'route-imports-repo'],
  ['a route file in a sub-folder importing a *.repo.ts', 'src/modules/map1193/rules/probe.routes.ts', "import { casesOf } from '../enforcement.repo.ts';\nexport { casesOf };", 'route-imports-repo'],
  ['a plain routes.ts importing a repo', 'src/modules/probe/routes.ts', "import { findPage } from './repo.ts';\nexport { findPage };", 'route-imports-repo'],
];

const allowed: Case[] = [
  ["a module importing another module's index.ts", 'src/modules/news/probe.ts', "import { consoleRoute } from '../accounts/index.ts';\nexport { consoleRoute };"],
  ['a module importing its own files at any depth', 'src/modules/map1193/rules/views/probe.tsx', "import { findBusiness } from '../../repo.ts';\nexport { findBusiness };"],
  ['core importing core', 'src/core/http/probe.ts', "import { createTranslator } from '../i18n/catalog.ts';\nexport { createTranslator };"],
  ['a root file importing module indexes', 'src/probe.ts', "import { tipsModule } from './modules/tips/index.ts';\nexport { tipsModule };"],
  ["the root database type importing a module's tables as types", 'src/database.ts', "import type { AccountRow } from './modules/accounts/tables.ts';\nexport type A = AccountRow;"],
  ['client code importing client code and the listed packages', 'src/client/probe.ts', "import * as L from 'leaflet';\nimport type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';\nimport { saveReport } from './map1193-offline/queue.ts';\nexport type O = PublicKeyCredentialRequestOptionsJSON;\nexport { L, saveReport };"],
  ['a route file importing a service and a row type', 'src/modules/map1193/probe.routes.ts', "import type { PublicBusiness } from './repo.ts';\nimport { listBusinesses } from './service.ts';\nexport type P = PublicBusiness;\nexport { listBusinesses };"],
  ['a service importing its repo', 'src/modules/news/probe.service.ts', "import * as repo from './repo.ts';\nexport { repo };"],
];

describe('the import boundaries', () => {
  it.each(refused)('refuse %s', async (_what, file, code, rule) => {
    expect(await boundaryRules(file, code)).toEqual([`boundaries/${rule}`]);
  });

  it.each(allowed)('allow %s', async (_what, file, code) => {
    expect(await boundaryRules(file, code)).toEqual([]);
  });
});

describe('route files', () => {
  it('import no repo anywhere in src, with no file excepted', async () => {
    const config: Linter.Config[] = (await import(pathToFileURL(path.join(root, 'eslint.config.js')).href)).default;
    expect(config.some((c) => c.rules?.['boundaries/route-imports-repo'] === 'off')).toBe(false);
  });
});
