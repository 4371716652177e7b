import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoSettings } from '../../core/settings/settings.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';

let t: TestApp;
let adminStaff: TestStaff;
let admin: SignedIn;

const valid = {
  officeName: 'Alameda County District Attorney',
  programName: 'HEAT Watch',
  county: 'Alameda County',
  state: 'California',
  localTipPhone: '(510) 555-0100',
  languages: ['en', 'es'],
  contactEmail: 'heat@example.org',
  contactAddress: '1225 Fallon Street\nOakland, CA 94612',
  officePhone: '(510) 272-6222',
  facebookUrl: '',
  twitterUrl: 'https://x.com/example',
  instagramUrl: '',
  quickExitUrl: 'https://weather.example.org/',
  mapLat: '37.7799',
  mapLng: '-122.2822',
  mapZoom: '12',
  noticeThirdLanguage: 'Vietnamese',
  tipRetentionDays: '400',
  timeZone: 'America/Denver',
};

// The settings are one record for the whole office: each test starts from the demo values.
beforeEach(async () => {
  t = await createTestApp();
  adminStaff = await createStaff(t, ['administrator']);
  admin = await signIn(t, adminStaff);
});
afterEach(async () => t.close());

describe('office settings page', () => {
  it('shows every setting, filled with the current values, and the demo notice', async () => {
    const page = await admin.get('/console/settings');
    expect(page.statusCode).toBe(200);
    for (const name of ['officeName', 'programName', 'county', 'state', 'localTipPhone', 'contactEmail', 'contactAddress', 'officePhone', 'facebookUrl', 'twitterUrl', 'instagramUrl', 'quickExitUrl', 'mapLat', 'mapLng', 'mapZoom', 'noticeThirdLanguage', 'tipRetentionDays', 'timeZone']) {
      expect(page.body, name).toContain(`<label for="${name}">`);
    }
    expect(page.body).toContain('<legend>Languages the public site offers</legend>');
    expect(page.body).toContain(`value="${demoSettings.officeName}"`);
    expect(page.body).toContain(`value="${demoSettings.mapCenter.lat}"`);
    expect(page.body).toContain('still in demo mode');
  });

  it('keeps the values and shows each message beside its field when input is wrong', async () => {
    const res = await admin.post('/console/settings', { ...valid, officeName: 'A', languages: [], mapLat: '91', mapLng: 'west', mapZoom: '30', quickExitUrl: 'javascript:alert(1)', contactEmail: 'nope', localTipPhone: 'call us', tipRetentionDays: '0', timeZone: 'Mars/Olympus_Mons' });
    expect(res.statusCode).toBe(422);
    for (const field of ['officeName', 'languages', 'mapLat', 'mapLng', 'mapZoom', 'quickExitUrl', 'contactEmail', 'localTipPhone', 'tipRetentionDays', 'timeZone']) {
      expect(res.body, field).toContain(`id="${field}-error"`);
    }
    expect(res.body).not.toContain('id="county-error"');
    expect(res.body).toContain('value="Alameda County"');
    expect(res.body).toContain('value="west"');
    expect(res.body).toContain('1225 Fallon Street\nOakland, CA 94612</textarea>');
    expect((await t.app.services.settings.get()).officeName).toBe(demoSettings.officeName);
  });

  it('saves every field through the settings schema, leaves demo mode and audits the changed keys only', async () => {
    const res = await admin.post('/console/settings', valid);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/settings?notice=saved');
    const saved = await t.app.services.settings.get();
    expect(saved).toEqual({
      ...demoSettings,
      officeName: valid.officeName,
      county: valid.county,
      localTipPhone: valid.localTipPhone,
      contactEmail: valid.contactEmail,
      contactAddress: valid.contactAddress,
      officePhone: valid.officePhone,
      facebookUrl: '',
      twitterUrl: valid.twitterUrl,
      instagramUrl: '',
      quickExitUrl: valid.quickExitUrl,
      mapCenter: { lat: 37.7799, lng: -122.2822, zoom: 12 },
      noticeThirdLanguage: 'Vietnamese',
      tipRetentionDays: 400,
      timeZone: 'America/Denver',
      demo: false,
    });
    const audit = await t.app.services.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'settings.update', targetType: 'settings' });
    expect(audit).toMatchObject({ actorId: adminStaff.account.id, actorLabel: adminStaff.account.email });
    const detail = JSON.parse(audit.detail) as { changed: string };
    expect(detail.changed.split(',')).toEqual(['contactAddress', 'contactEmail', 'county', 'demo', 'facebookUrl', 'instagramUrl', 'localTipPhone', 'mapCenter', 'noticeThirdLanguage', 'officeName', 'officePhone', 'quickExitUrl', 'timeZone', 'tipRetentionDays', 'twitterUrl']);
    // Keys, never values.
    expect(audit.detail).not.toContain('Alameda');
    expect(audit.detail).not.toContain('555');

    const page = await admin.get('/console/settings?notice=saved');
    expect(page.body).toContain('Settings saved.');
    expect(page.body).not.toContain('still in demo mode');
    // The public site shows the change at once in this process.
    expect((await t.app.inject({ url: '/' })).body).toContain('Alameda County District Attorney');
  });

  it('writes nothing and audits nothing when nothing changed', async () => {
    expect((await admin.post('/console/settings', valid)).headers.location).toBe('/console/settings?notice=saved');
    const before = await t.app.services.db.selectFrom('auditLog').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    const res = await admin.post('/console/settings', valid);
    expect(res.headers.location).toBe('/console/settings?notice=unchanged');
    const after = await t.app.services.db.selectFrom('auditLog').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    // Whatever else was recorded meanwhile, no settings change was.
    const rows = await t.app.services.db.selectFrom('auditLog').select('action').where('seq', '>', Number(before.seq)).where('seq', '<=', Number(after.seq)).execute();
    expect(rows.map((r) => r.action)).not.toContain('settings.update');
  });

  it('offers only languages with catalogs and accepts a single one', async () => {
    const bogus = await admin.post('/console/settings', { ...valid, languages: ['en', 'xx'] });
    expect(bogus.statusCode).toBe(422);
    expect(bogus.body).toContain('id="languages-error"');
    expect((await admin.post('/console/settings', { ...valid, languages: 'es' })).statusCode).toBe(303);
    expect((await t.app.services.settings.get()).languages).toEqual(['es']);
  });

  it('is for administrators only, and is translated', async () => {
    const inspector = await signIn(t, await createStaff(t, ['compliance_inspector']));
    expect((await inspector.get('/console/settings')).statusCode).toBe(403);
    expect((await inspector.post('/console/settings', valid)).statusCode).toBe(403);
    const es = await signIn(t, await createStaff(t, ['administrator'], { locale: 'es' }));
    const page = await es.get('/console/settings');
    expect(page.body).toContain('<h1>Configuración de la oficina</h1>');
    expect(page.body).toContain('Guardar la configuración');
  });
});
