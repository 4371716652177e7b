/** A value for one CSV cell: numbers and booleans are written as they are, null as an empty cell. */
export type CsvValue = string | number | boolean | null | undefined;

// A spreadsheet treats a cell starting with one of these as a formula (or as the start of one).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 cell, neutralised against formula injection: text that a spreadsheet would
 * run as a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'`, then the
 * cell is quoted when it holds a comma, quote or line break. Numbers are data, never prefixed.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line with its CRLF terminator, as RFC 4180 asks. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
