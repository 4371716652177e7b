import { describe, expect, it } from 'vitest';
import { AUDITED_ACTIONS, auditSitesInSource } from './testing.ts';

describe('the table of audited actions', () => {
  it('lists exactly the actions the code writes', () => {
    const sites = auditSitesInSource();
    const inCode = [...new Set(sites.map((s) => s.action))].sort();
    const untested = sites.filter((s) => !(s.action in AUDITED_ACTIONS)).map((s) => `${s.action} (${s.where})`);
    expect(untested, 'audited in the code but in no test: add it to AUDITED_ACTIONS and give it a case').toEqual([]);
    expect(Object.keys(AUDITED_ACTIONS).sort(), 'in the table but written nowhere').toEqual(inCode);
  });
});
