import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn } from '../../../test/helpers/staff.ts';
import { contextFor } from '../../core/context.ts';
import { CLI_ACTOR, inviteAdministratorFromCli, OperatorError, resetSecondFactorFromCli } from './index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const cli = () => contextFor(t.app.services, CLI_ACTOR);
const lastAudit = () => t.app.services.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();

describe('heatwatch admin create', () => {
  it('makes an administrator invitation, audited as cli, whose link works once', async () => {
    const { link, expiresHours } = await inviteAdministratorFromCli(cli(), { email: 'Olga@Example.org', name: 'Olga Operator', locale: 'es' });
    expect(expiresHours).toBe(72);
    expect(link.startsWith(`${t.config.baseUrl}/console/invitations/`)).toBe(true);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ actorId: null, actorLabel: 'cli', action: 'account.invite', targetType: 'invitation' });
    expect(JSON.parse(audit.detail)).toEqual({ roles: 'administrator' });
    const mail = await t.app.services.db.selectFrom('outbox').select(['toAddress', 'subject']).where('toAddress', '=', 'olga@example.org').executeTakeFirstOrThrow();
    expect(mail.subject).toContain('Su cuenta');

    const path = new URL(link).pathname;
    const page = await t.app.inject({ url: path });
    expect(page.statusCode).toBe(200);
    const accepted = await t.app.inject({ method: 'POST', url: path, payload: { password: 'long enough operator words', confirm: 'long enough operator words', _csrf: csrfFrom(page.body) } });
    expect(accepted.statusCode).toBe(303);
    expect((await t.app.inject({ url: path })).statusCode).toBe(404);
    const account = await t.app.services.db.selectFrom('accounts').select('id').where('email', '=', 'olga@example.org').executeTakeFirstOrThrow();
    const roles = await t.app.services.db.selectFrom('accountRoles').select('role').where('accountId', '=', account.id).execute();
    expect(roles.map((r) => r.role)).toEqual(['administrator']);
  });

  it('refuses an e-mail that has an account, a bad address and an unknown language', async () => {
    const existing = await createStaff(t, ['volunteer']);
    await expect(inviteAdministratorFromCli(cli(), { email: existing.account.email, name: 'Olga', locale: 'en' })).rejects.toThrow(/already exists/);
    await expect(inviteAdministratorFromCli(cli(), { email: 'not-an-address', name: 'X', locale: 'en' })).rejects.toBeInstanceOf(OperatorError);
    await expect(inviteAdministratorFromCli(cli(), { email: 'x@example.org', name: 'X', locale: 'xx' })).rejects.toThrow(/--locale: one of en, es/);
  });
});

describe('heatwatch admin reset-2fa', () => {
  it('removes the second factor, ends sessions and is audited as cli', async () => {
    const staff = await createStaff(t, ['tip_reviewer']);
    const session = await signIn(t, staff);
    expect((await session.get('/console')).statusCode).toBe(200);
    const { accountId } = await resetSecondFactorFromCli(cli(), staff.account.email.toUpperCase());
    expect(accountId).toBe(staff.account.id);
    expect((await session.get('/console')).statusCode).toBe(303);
    const row = await t.app.services.db.selectFrom('accounts').select(['totpSecretBox', 'totpEnabledAt']).where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(row).toEqual({ totpSecretBox: null, totpEnabledAt: null });
    expect(await lastAudit()).toMatchObject({ actorLabel: 'cli', action: 'account.second_factor_reset', targetId: accountId });
  });

  it('says so when no account has the address', async () => {
    await expect(resetSecondFactorFromCli(cli(), 'nobody@example.org')).rejects.toThrow('no account with nobody@example.org');
  });
});
