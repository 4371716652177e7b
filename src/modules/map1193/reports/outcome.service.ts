import { randomInt } from 'node:crypto';
import type { Context } from '../../../core/context.ts';
import { hmac } from '../../../core/crypto/server-secret.ts';
import { type Outcome, outcomeOf } from './community.ts';
import * as repo from './repo.ts';

/** Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 10;

/** A random outcome code (50 bits) as shown: two groups of five. Not derived from the report or any counter. */
export function newOutcomeCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The code as typed, canonical (case, spaces, dashes, O for 0, I and L for 1), or undefined when it cannot be one. */
export function normalizeCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]+/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/** What is stored: an HMAC with the server secret, so the table alone opens no report. */
export const codeHash = (secret: Buffer, code: string) => hmac(secret, 'map1193.report-code', normalizeCode(code) ?? code);

export type ReportWithOutcome = repo.OwnReport & { outcome: Outcome };

/** The report a code belongs to with the office's outcome; undefined for a wrong code. */
export async function outcomeByCode(ctx: Pick<Context, 'db' | 'secret'>, typed: string): Promise<ReportWithOutcome | undefined> {
  const code = normalizeCode(typed);
  if (!code) return undefined;
  const report = await repo.reportByLookup(ctx.db, codeHash(ctx.secret, code));
  if (!report) return undefined;
  const steps = await repo.stepsSince(ctx.db, [report.businessId], report.receivedAt);
  return { ...report, outcome: outcomeOf(report, steps) };
}

export const MY_REPORTS_LIMIT = 200;

/** A signed-in reporter's own reports, newest first, each with what the office did since. */
export async function myReports(ctx: Pick<Context, 'db'>, reporterId: string): Promise<ReportWithOutcome[]> {
  const reports = await repo.reportsByReporter(ctx.db, reporterId, MY_REPORTS_LIMIT);
  if (reports.length === 0) return [];
  const earliest = reports.reduce((min, r) => (r.receivedAt < min ? r.receivedAt : min), reports[0]!.receivedAt);
  const steps = await repo.stepsSince(ctx.db, [...new Set(reports.map((r) => r.businessId))], earliest);
  return reports.map((r) => ({ ...r, outcome: outcomeOf(r, steps) }));
}
