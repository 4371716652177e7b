import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { permissionGrants } from './permissions.ts';
import { permissionLabelKey } from '../views/forbidden-page.tsx';

let t: TestApp;
let volunteer: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  volunteer = await signIn(t, await createStaff(t, ['volunteer']));
});
afterAll(async () => t.close());

describe('a console page the person may not open', () => {
  it('is the console page with its menu, naming the permission in words, not the public 403 page', async () => {
    const res = await volunteer.get('/console/audit');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('class="console"');
    expect(res.body).toContain('class="console-nav"');
    expect(res.body).toContain('This page needs the “read the audit log” permission; ask an administrator');
    // The public error page's quick-exit bar and hotline have no place in the console.
    expect(res.body).not.toContain('quick-exit');
    expect(res.body).not.toContain('hotline');
  });

  it('speaks the staff member’s language', async () => {
    const es = await signIn(t, await createStaff(t, ['volunteer'], { locale: 'es' }));
    const res = await es.get('/console/accounts');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Esta página requiere el permiso «administrar cuentas»');
  });

  it('still answers a visitor who is not signed in with the sign-in page', async () => {
    const res = await t.app.inject({ url: '/console/audit' });
    expect(res.statusCode).toBe(303);
  });
});

describe('permission names', () => {
  it('every defined permission is named in words in every locale', () => {
    const catalogs = t.app.services.catalogs;
    for (const permission of permissionGrants().keys()) {
      for (const locale of catalogs.locales) {
        expect(catalogs.messages.get(locale)!.get(permissionLabelKey(permission)), `${locale} ${permission}`).toBeTruthy();
      }
    }
  });
});
