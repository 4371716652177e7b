import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.ts';

describe('csvCell', () => {
  it('writes plain text, numbers and empty values as they are', () => {
    expect(csvCell('Demo Bar 17')).toBe('Demo Bar 17');
    expect(csvCell(-122.2712)).toBe('-122.2712');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('1 Main St, Oakland')).toBe('"1 Main St, Oakland"');
    expect(csvCell('The "Best" Motel')).toBe('"The ""Best"" Motel"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each(['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralises the formula %j', (formula) => {
    const cell = csvCell(formula);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    expect(unquoted).toBe(`'${formula}`);
  });

  it('leaves text with a formula character later in it alone', () => {
    expect(csvCell('A=B')).toBe('A=B');
    expect(csvCell('joe@example.org')).toBe('joe@example.org');
  });
});

describe('csvRow', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRow(['a', 1, null, '=1+1', 'x,y'])).toBe('a,1,,\'=1+1,"x,y"\r\n');
  });
});
