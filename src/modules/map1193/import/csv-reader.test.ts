import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvRecords } from './csv-reader.ts';

async function read(...chunks: string[]) {
  const out: { line: number; fields: string[] }[] = [];
  for await (const record of csvRecords(chunks)) out.push(record);
  return out;
}

describe('csvRecords', () => {
  it('reads plain fields, empty fields and a missing final line end', async () => {
    expect(await read('a,b,c\n1,,3\n,x,')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '', '3'] },
      { line: 3, fields: ['', 'x', ''] },
    ]);
  });

  it('reads quotes, doubled quotes, commas and line breaks inside quotes', async () => {
    const records = await read('name,note\r\n"Motel ""Blue"", Inc","line one\r\nline two"\r\n"",end\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Motel "Blue", Inc', 'line one\r\nline two'] },
      { line: 4, fields: ['', 'end'] },
    ]);
  });

  it('handles CRLF, LF and CR line ends and skips blank lines', async () => {
    expect((await read('a\r\nb\nc\rd\n\n\r\ne')).map((r) => r.fields[0])).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('drops a byte-order mark', async () => {
    expect((await read('\ufeffname,city\nA,B'))[0]!.fields).toEqual(['name', 'city']);
  });

  it('reads a record split anywhere across chunks, including inside quotes and CRLF', async () => {
    const text = 'id,name\r\n1,"Demo ""Bar"", 17"\r\n2,"two\r\nlines"\r\n3,plain\r\n';
    const whole = await read(text);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await read(text.slice(0, cut), text.slice(cut)), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('decodes UTF-8 bytes split inside a character', async () => {
    const bytes = new TextEncoder().encode('name\nCafé Ñandú\n');
    const out: string[][] = [];
    for await (const r of csvRecords([bytes.subarray(0, 9), bytes.subarray(9)])) out.push(r.fields);
    expect(out).toEqual([['name'], ['Café Ñandú']]);
  });

  it('refuses an unclosed quote and text after a closing quote', async () => {
    await expect(read('a\n"never closed')).rejects.toBeInstanceOf(CsvSyntaxError);
    await expect(read('a\n"x"y\n')).rejects.toThrow(/line 2/);
  });
});
