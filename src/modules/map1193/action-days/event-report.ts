import { csvRow } from '../../../core/http/csv.ts';
import { formatInZone } from '../../../core/i18n/time.ts';
import type { Progress } from './views/action-day-page.tsx';

const COLUMNS = ['scope', 'name', 'stops', 'visited', 'compliant', 'missing', 'could_not_check'];

/** The event report as CSV: one line for the whole day, then one per team and one per city. Team and city names pass through csvRow, which neutralises formulas. */
export function eventReportCsv(progress: Progress): string {
  const line = (scope: string, name: string, r: Progress['total']) => csvRow([scope, name, r.stops, r.visited, r.compliant, r.missing, r.couldNotCheck]);
  return [
    csvRow(COLUMNS),
    line('day', `${progress.day.day} ${progress.day.title}`, progress.total),
    ...progress.teams.map((r) => line('team', r.name, r)),
    ...progress.cities.map((r) => line('city', r.city, r)),
  ].join('');
}

/** A wall-clock time in the office's zone, named, as the locale writes it. */
export const officeTime = (at: Date, locale: string, timeZone: string) => formatInZone(at, locale, timeZone, 'time');
