import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, STATUS_BY_CODE } from '../../src/core/errors.ts';
import { AppError } from '../../src/core/http/errors.ts';
import { AccountInputError } from '../../src/modules/accounts/accounts.service.ts';
import { OperatorError } from '../../src/modules/accounts/index.ts';
import { CsvSyntaxError } from '../../src/modules/map1193/import/csv-reader.ts';
import { NoPenaltyRuleError } from '../../src/modules/map1193/enforcement/service.ts';
import { ImportFileError } from '../../src/modules/map1193/import/import.ts';
import { RuleOrderError } from '../../src/modules/map1193/rules/service.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// Each domain error as a service throws it, with the status and the words a person should get
// when no form catches it. The English `message` is for logs and the CLI, never the page.
const cases: { name: string; error: () => DomainError; status: number; en: string; es: string }[] = [
  {
    name: 'rule-order',
    error: () => new RuleOrderError('2026-01-01'),
    status: 422,
    en: 'The latest version starts on 2026-01-01: a new one must start after that day.',
    es: 'La última versión empieza el 2026-01-01: una nueva debe empezar después de ese día.',
  },
  {
    name: 'rule-after-end',
    error: () => new RuleOrderError('2025-01-01', '2026-07-01'),
    status: 422,
    en: 'The latest version ended on 2026-07-01: a new one can start on that day or later.',
    es: 'La última versión terminó el 2026-07-01: una nueva puede empezar ese día o después.',
  },
  {
    name: 'import-file',
    error: () => new ImportFileError('column "Nom" (for name) is not in the header', 'column_missing', { column: 'Nom', field: 'name' }),
    status: 422,
    en: 'The file has no column “Nom” (given for name).',
    es: 'El archivo no tiene la columna “Nom” (indicada para name).',
  },
  {
    name: 'csv-syntax',
    error: () => new CsvSyntaxError('a quoted field is never closed', 7),
    status: 422,
    en: 'The CSV file is broken near line 7',
    es: 'El archivo CSV está dañado cerca de la línea 7',
  },
  {
    name: 'account-input',
    error: () => new AccountInputError('email', 'accounts.errors.emailTaken'),
    status: 422,
    en: 'An account with this e-mail address already exists.',
    es: 'Ya existe una cuenta con este correo electrónico.',
  },
  {
    name: 'operator',
    error: () => new OperatorError('no account with someone@example.org'),
    status: 400,
    en: 'The command was refused. Check its options and try again.',
    es: 'Se rechazó el comando. Revise sus opciones e inténtelo de nuevo.',
  },
  {
    name: 'no-penalty-rule',
    error: () => new NoPenaltyRuleError(),
    status: 409,
    en: 'No penalty rule is in force, so there is no cure period or amount to apply.',
    es: 'No hay ninguna regla de multas vigente, así que no hay plazo de corrección ni monto que aplicar.',
  },
];

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    beforeReady: (app) => {
      for (const c of cases) {
        for (const prefix of ['', '/es', '/api']) {
          app.get(`${prefix}/__domain/${c.name}`, async () => {
            throw c.error();
          });
        }
      }
      app.get('/__domain/plain', async () => {
        throw new AppError('forbidden');
      });
    },
  });
});
afterAll(async () => t.close());

describe('domain errors', () => {
  it('all carry a 4xx status: no code of the closed set is a server error', () => {
    for (const [code, status] of Object.entries(STATUS_BY_CODE)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(500);
    }
    for (const c of cases) {
      expect(c.error(), c.name).toBeInstanceOf(DomainError);
      expect(c.error().status, c.name).toBe(c.status);
    }
  });

  it.each(cases)('$name is answered with its status and its message in English, never as a 500', async (c) => {
    const res = await t.app.inject({ url: `/__domain/${c.name}` });
    expect(res.statusCode).toBe(c.status);
    expect(res.body).toContain(c.en);
    expect(res.body).not.toContain(c.error().message);
    expect(res.body).not.toContain('Something went wrong on our side');
  });

  it.each(cases)('$name is answered with its status and its message in Spanish', async (c) => {
    const res = await t.app.inject({ url: `/es/__domain/${c.name}` });
    expect(res.statusCode).toBe(c.status);
    expect(res.body).toContain(c.es);
    expect(res.body).not.toContain(c.en);
    expect(res.body).not.toContain('Algo salió mal de nuestro lado');
  });

  it.each(cases)('$name is answered to an API client with its code and message', async (c) => {
    const res = await t.app.inject({ url: `/api/__domain/${c.name}` });
    expect(res.statusCode).toBe(c.status);
    expect(res.json()).toEqual({ error: c.error().code, message: expect.stringContaining(c.en) });
  });

  it('are not logged as failures: only a 5xx is', async () => {
    const before = t.logs.length;
    await t.app.inject({ url: '/__domain/no-penalty-rule' });
    expect(t.logs.slice(before).join('')).not.toContain('request failed');
  });

  it('leave an AppError without a message key on the general text of its status', async () => {
    const res = await t.app.inject({ url: '/__domain/plain' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This page is not available to you.');
  });
});
