import { describe, expect, it } from 'vitest';
import { dayInZone, formatInZone, instantFromZone, isTimeZone, localInputValue, wallClockInZone } from './time.ts';

describe('office time', () => {
  it('knows IANA zones and refuses anything else', () => {
    expect(isTimeZone('America/Los_Angeles')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('shows an instant in the office zone with the zone named, in the reader language', () => {
    const at = '2026-12-02T07:30:00.000Z';
    expect(formatInZone(at, 'en', 'America/Los_Angeles', 'minute')).toBe('Dec 1, 2026, 11:30 PM PST');
    expect(formatInZone(at, 'en', 'America/New_York', 'minute')).toBe('Dec 2, 2026, 2:30 AM EST');
    expect(formatInZone(at, 'en', 'America/Los_Angeles', 'date')).toBe('December 1, 2026');
    expect(formatInZone(at, 'es', 'America/Los_Angeles', 'date')).toBe('1 de diciembre de 2026');
    expect(formatInZone(at, 'en', 'America/Los_Angeles', 'time')).toBe('11:30 PM PST');
  });

  it('cuts the tip line coarse time to the hour, so no minute can be read back', () => {
    expect(formatInZone('2026-07-04T19:59:59.000Z', 'en', 'America/Los_Angeles', 'hour')).toBe('Jul 4, 2026, 12 PM PDT');
    expect(formatInZone('2026-07-04T19:00:00.000Z', 'en', 'America/Los_Angeles', 'hour')).toBe('Jul 4, 2026, 12 PM PDT');
  });

  it('gives the calendar day and wall clock in the zone, across midnight', () => {
    const at = new Date('2026-12-02T07:30:00.000Z');
    expect(dayInZone(at, 'America/Los_Angeles')).toBe('2026-12-01');
    expect(dayInZone(at, 'UTC')).toBe('2026-12-02');
    expect(wallClockInZone(at, 'America/Los_Angeles')).toMatchObject({ hour: 23, minute: 30, weekday: 2 });
  });

  it('reads a typed wall time in the office zone, on both sides of a daylight-saving change', () => {
    expect(instantFromZone('2026-12-05T14:00', 'America/Los_Angeles')?.toISOString()).toBe('2026-12-05T22:00:00.000Z');
    expect(instantFromZone('2026-07-05T14:00', 'America/Los_Angeles')?.toISOString()).toBe('2026-07-05T21:00:00.000Z');
    // 2026-03-08 02:30 does not exist in Los Angeles: the same wall time an hour later.
    expect(instantFromZone('2026-03-08T02:30', 'America/Los_Angeles')?.toISOString()).toBe('2026-03-08T10:30:00.000Z');
    // 2026-11-01 01:30 happens twice: the first (still daylight time).
    expect(instantFromZone('2026-11-01T01:30', 'America/Los_Angeles')?.toISOString()).toBe('2026-11-01T08:30:00.000Z');
    expect(instantFromZone('2026-02-30T10:00', 'America/Los_Angeles')).toBeUndefined();
    expect(instantFromZone('tomorrow', 'America/Los_Angeles')).toBeUndefined();
    expect(localInputValue(new Date('2026-12-05T22:00:00.000Z'), 'America/Los_Angeles')).toBe('2026-12-05T14:00');
  });
});
