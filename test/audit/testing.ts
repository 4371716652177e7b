import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { signIn, type SignedIn, type TestStaff } from '../helpers/staff.ts';
import type { AuditActor, AuditRow } from '../../src/core/audit/audit.ts';
import { CASE_ACTIONS } from '../../src/modules/map1193/enforcement/enforcement.ts';

/**
 * Test helpers for "every audited action writes its row": the actions the code writes, found
 * in the source, and a harness that performs each one and checks the row it left.
 */

export type ActionGroup = 'accounts' | 'sign-in' | 'tips' | 'map1193' | 'content' | 'mailing' | 'events';

/**
 * Every audit action the code writes, and the test file (by group) that performs it. An action
 * found in the source but missing here fails `actions.test.ts`: a new audited action needs a
 * case that performs it.
 */
export const AUDITED_ACTIONS: Record<string, ActionGroup> = {
  'account.create': 'accounts',
  'account.deactivated': 'accounts',
  'account.invitation_replaced': 'accounts',
  'account.invitation_revoked': 'accounts',
  'account.invite': 'accounts',
  'account.keys_replaced': 'accounts',
  'account.locale_changed': 'accounts',
  'account.password_changed': 'accounts',
  'account.password_reset_completed': 'accounts',
  'account.password_reset_requested': 'accounts',
  'account.reactivated': 'accounts',
  'account.roles_changed': 'accounts',
  'account.second_factor_reset': 'accounts',
  'auth.passkey_added': 'accounts',
  'auth.passkey_removed': 'accounts',
  'auth.recovery_codes_regenerated': 'accounts',
  'auth.reauth_failed': 'accounts',
  'auth.session_revoked': 'accounts',
  'auth.signed_out_everywhere': 'accounts',
  'auth.unlock_failed': 'accounts',
  'office_key.created': 'accounts',
  'setup.completed': 'accounts',

  'auth.account_locked': 'sign-in',
  'auth.password_accepted': 'sign-in',
  'auth.second_factor_failed': 'sign-in',
  'auth.second_factor_passed': 'sign-in',
  'auth.session_ended_second_factor': 'sign-in',
  'auth.sign_in_failed': 'sign-in',
  'auth.sign_in_refused_locked': 'sign-in',
  'auth.sign_in_throttled': 'sign-in',
  'auth.signed_out': 'sign-in',
  'auth.totp_enrolled': 'sign-in',

  'settings.tip_retention': 'tips',
  'tip.assign': 'tips',
  'tip.contact_open': 'tips',
  'tip.deleted': 'tips',
  'tip.duplicate': 'tips',
  'tip.file_open': 'tips',
  'tip.grant': 'tips',
  'tip.grants_revoked': 'tips',
  'tip.handoff': 'tips',
  'tip.note': 'tips',
  'tip.open': 'tips',
  'tip.recovery_key_refused': 'tips',
  'tip.reply': 'tips',
  'tip.spam_deleted': 'tips',
  'tip.spam_flagged': 'tips',
  'tip.status': 'tips',
  'tip.tags': 'tips',

  'map1193.action_day.create': 'map1193',
  'map1193.case.record_payment': 'map1193',
  'map1193.case.refer': 'map1193',
  'map1193.case.reinspect_cured': 'map1193',
  'map1193.case.reinspect_failed': 'map1193',
  'map1193.case.send_notice': 'map1193',
  'map1193.case.visit_compliant': 'map1193',
  'map1193.case.visit_violation': 'map1193',
  'map1193.case_file_open': 'map1193',
  'map1193.category_add': 'map1193',
  'map1193.demo_removed': 'map1193',
  'map1193.data_quality_review': 'map1193',
  'map1193.case_record_open': 'map1193',
  'map1193.import': 'map1193',
  'map1193.photo_open': 'map1193',
  'map1193.rule_amend': 'map1193',
  'map1193.rule_end': 'map1193',

  'audit.export': 'content',
  'backup.created': 'content',
  'content.page_publish': 'content',
  'content.page_restore': 'content',
  'mailing.topic_create': 'mailing',
  'mailing.topic_update': 'mailing',
  'news.create': 'content',
  'news.publish': 'content',
  'news.unpublish': 'content',
  'news.update': 'content',
  'outbox.message_read': 'content',
  'settings.tip_line_opened_early': 'content',
  'settings.update': 'content',

  'event_registration.create': 'events',
  'event_registration.status': 'events',
  'training_request.assign': 'events',
  'training_request.convert': 'events',
  'training_request.note': 'events',
  'training_request.status': 'events',
};

/** Actions built from a template: each value the placeholder can take is an action of its own. */
const TEMPLATE_VALUES: Record<string, readonly string[]> = {
  'map1193.case.*': CASE_ACTIONS,
};

/** One place in the source that writes an audit row, and the action it writes there. */
export type AuditSite = { action: string; where: string };

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && entry.name !== 'testing.ts' ? [full] : [];
  });
}

/** `s.audit(…)`, `ctx.audit!(…)` and `recordAudit(…)`: the ways code appends to the chain. */
function isAuditCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  let callee: ts.Expression = node.expression;
  while (ts.isNonNullExpression(callee) || ts.isParenthesizedExpression(callee)) callee = callee.expression;
  return (ts.isPropertyAccessExpression(callee) && callee.name.text === 'audit') || (ts.isIdentifier(callee) && callee.text === 'recordAudit');
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/**
 * The actions an expression can be. A parameter of a small wrapper (`readAudited(request,
 * 'x.y', …)`) is followed to every call of the wrapper in the same file, each call a site.
 */
function actionsOf(expr: ts.Expression, file: ts.SourceFile, where: string): AuditSite[] {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [{ action: expr.text, where }];
  if (ts.isParenthesizedExpression(expr)) return actionsOf(expr.expression, file, where);
  if (ts.isConditionalExpression(expr)) return [...actionsOf(expr.whenTrue, file, where), ...actionsOf(expr.whenFalse, file, where)];
  if (ts.isTemplateExpression(expr)) return [{ action: expr.head.text + expr.templateSpans.map((s) => `*${s.literal.text}`).join(''), where }];
  if (ts.isIdentifier(expr)) {
    let fn = enclosingFunction(expr);
    const isParameter = (f: ts.SignatureDeclaration) => f.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === expr.text);
    while (fn && isParameter(fn) < 0) fn = enclosingFunction(fn);
    const index = fn ? isParameter(fn) : -1;
    const name = fn ? functionName(fn) : undefined;
    if (name) {
      const calls: AuditSite[] = [];
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
          const arg = node.arguments[index];
          if (!arg) throw new Error(`${name}() called without its action at ${siteOf(node, file)}`);
          calls.push(...actionsOf(arg, file, siteOf(node, file)));
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      if (calls.length > 0) return calls;
    }
  }
  throw new Error(`cannot tell which audit action is written at ${where}: ${expr.getText(file)}`);
}

function siteOf(node: ts.Node, file: ts.SourceFile): string {
  return `${path.relative(SRC, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
}

/**
 * The plumbing that defines `audit` itself and passes an entry through: `audit: (trx, entry) =>
 * recordAudit(trx, clock, entry)`, or the context's `{ ...entry, actor: … }`.
 */
function isAuditDefinition(call: ts.CallExpression, entry: ts.Expression): boolean {
  const fn = enclosingFunction(call);
  const passedThrough = ts.isIdentifier(entry) || (ts.isObjectLiteralExpression(entry) && entry.properties.some(ts.isSpreadAssignment) && !entry.properties.some((p) => p.name?.getText() === 'action'));
  return passedThrough && fn !== undefined && ts.isPropertyAssignment(fn.parent) && fn.parent.name.getText() === 'audit';
}

/**
 * Every place under `src/` (tests left out) that writes an audit row, with its action. Throws
 * when it finds an audit call whose action it cannot read, so nothing slips past unseen.
 */
export function auditSitesInSource(): AuditSite[] {
  const sites: AuditSite[] = [];
  for (const fileName of sourceFiles(SRC)) {
    const text = fs.readFileSync(fileName, 'utf8');
    if (!text.includes('audit')) continue;
    const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node: ts.Node) => {
      if (isAuditCall(node)) {
        const where = siteOf(node, file);
        const entry = node.arguments.at(-1);
        if (!entry) throw new Error(`audit call without an entry at ${where}`);
        if (!isAuditDefinition(node, entry)) {
          if (!ts.isObjectLiteralExpression(entry)) throw new Error(`cannot tell which audit action is written at ${where}: ${entry.getText(file)}`);
          const prop = entry.properties.find((p) => p.name?.getText(file) === 'action');
          if (prop && ts.isPropertyAssignment(prop)) sites.push(...actionsOf(prop.initializer, file, where));
          else if (prop && ts.isShorthandPropertyAssignment(prop)) sites.push(...actionsOf(prop.name, file, where));
          else throw new Error(`audit entry without a readable action at ${where}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return sites.flatMap((site) => {
    if (!site.action.includes('*')) return [site];
    const values = TEMPLATE_VALUES[site.action];
    if (!values) throw new Error(`audit action template ${site.action} at ${site.where}: list its values in TEMPLATE_VALUES`);
    return values.map((v) => ({ action: site.action.replace('*', v), where: site.where }));
  });
}

/** What a performed action must have written. `also`: other actions the same operation records. */
export type Expected = { actor: AuditActor; targetType: string | null; targetId: string | null; also?: string[] };
/**
 * Wraps the one operation under test; setup goes before it, lookups after. The last call
 * counts. `on` names another app's database, for an action that needs an app of its own.
 */
export type Act = <T>(perform: () => Promise<T>, on?: Kysely<any>) => Promise<T>;
export type ActionCase = { name: string; run(act: Act): Promise<Expected> };

const lastSeq = async (db: Kysely<any>) =>
  Number((await db.selectFrom('auditLog').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq ?? 0);

/**
 * One test per case: it performs the action and checks that exactly that action's row (and the
 * `also` rows, nothing else) was written, naming the right actor and target. A first test
 * checks the group has a case for each of its actions and each place in the code writing it.
 */
export function describeAuditedActions(group: ActionGroup, db: () => Kysely<any>, cases: Record<string, ActionCase[]>): void {
  describe(`every audited action of ${group} writes its row`, () => {
    it('has a case for each action of the group and each place that writes it', () => {
      const mine = Object.entries(AUDITED_ACTIONS).filter(([, g]) => g === group).map(([action]) => action);
      expect(Object.keys(cases).sort()).toEqual(mine.sort());
      const sites = auditSitesInSource();
      for (const action of mine) {
        const where = sites.filter((s) => s.action === action).map((s) => s.where);
        expect(cases[action]!.length, `${action} is written at ${where.join(', ')}`).toBeGreaterThanOrEqual(where.length);
      }
    });

    const flat = Object.entries(cases).flatMap(([action, list]) => list.map((c) => ({ action, name: c.name, run: c.run })));
    it.each(flat)('$action: $name', async ({ action, run }) => {
      let rows: AuditRow[] | undefined;
      const act: Act = async (perform, on = db()) => {
        const mark = await lastSeq(on);
        const result = await perform();
        rows = (await on.selectFrom('auditLog').selectAll().where('seq', '>', mark).orderBy('seq').execute()) as AuditRow[];
        return result;
      };
      const expected = await run(act);
      expect(rows, 'the case performs its action inside act()').toBeDefined();
      expect(rows!.map((r) => r.action).sort()).toEqual([action, ...(expected.also ?? [])].sort());
      const row = rows!.find((r) => r.action === action)!;
      expect({ actorId: row.actorId, actorLabel: row.actorLabel, targetType: row.targetType, targetId: row.targetId }).toEqual({
        actorId: expected.actor.id,
        actorLabel: expected.actor.label,
        targetType: expected.targetType,
        targetId: expected.targetId,
      });
    });
  });
}

/** The actor an audit row names for a staff member. */
export const actorOfStaff = (staff: TestStaff): AuditActor => ({ id: staff.account.id, label: staff.account.email });

/**
 * A signed-in session per staff member, signed in again once the manual clock has moved past
 * what a session survives: cases that wait out a cure or retention period leave the others working.
 */
export function sessionsOf(t: TestApp): (staff: TestStaff) => Promise<SignedIn> {
  const kept = new Map<string, { session: SignedIn; usedAt: number }>();
  return async (staff) => {
    const now = t.clock.now().getTime();
    const entry = kept.get(staff.account.id);
    if (entry && now - entry.usedAt < 20 * 60_000) {
      entry.usedAt = now;
      return entry.session;
    }
    const session = await signIn(t, staff);
    kept.set(staff.account.id, { session, usedAt: t.clock.now().getTime() });
    return session;
  };
}
