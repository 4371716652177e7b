import { DomainError } from '../../../core/errors.ts';

/** A malformed file, with the line where reading stopped. */
export class CsvSyntaxError extends DomainError {
  declare readonly messageKey: string;
  readonly line: number;
  constructor(message: string, line: number) {
    super('invalid_form', { message: `${message} (line ${line})`, messageKey: 'map.import.errors.csvSyntax', params: { line } });
    this.line = line;
  }
}

const S = { fieldStart: 0, unquoted: 1, quoted: 2, quoteInQuoted: 3 } as const;
type State = (typeof S)[keyof typeof S];

/**
 * Streams RFC 4180 records from text or UTF-8 chunks: quoted fields, doubled quotes, commas and
 * line breaks inside quotes, CRLF, LF or CR line ends, a leading byte-order mark. Blank lines
 * are skipped. Each record comes with the line it started on, for per-row reports.
 */
export async function* csvRecords(source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): AsyncGenerator<{ line: number; fields: string[] }> {
  const decoder = new TextDecoder('utf-8');
  let state: State = S.fieldStart;
  let field = '';
  let record: string[] = [];
  let line = 1;
  let recordLine = 1;
  let afterCR = false;
  let first = true;
  let quotedCR = false;
  const out: { line: number; fields: string[] }[] = [];

  const endRecord = () => {
    out.push({ line: recordLine, fields: record });
    record = [];
  };

  const consume = (text: string) => {
    let i = 0;
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) i = 1;
      first = false;
    }
    const n = text.length;
    while (i < n) {
      const c = text[i]!;
      if (afterCR) {
        afterCR = false;
        if (c === '\n') {
          i++;
          continue;
        }
      }
      switch (state) {
        case S.fieldStart:
          if (record.length === 0) recordLine = line;
          if (c === '"') {
            state = S.quoted;
            i++;
          } else if (c === ',') {
            record.push('');
            i++;
          } else if (c === '\r' || c === '\n') {
            // A line break right after a comma ends a record whose last field is empty; on its own it is a blank line.
            if (record.length > 0) {
              record.push('');
              endRecord();
            }
            line++;
            afterCR = c === '\r';
            i++;
          } else {
            state = S.unquoted;
          }
          break;
        case S.unquoted: {
          let j = i;
          while (j < n) {
            const d = text[j];
            if (d === ',' || d === '\r' || d === '\n') break;
            j++;
          }
          field += text.slice(i, j);
          i = j;
          if (i < n) {
            const d = text[i]!;
            record.push(field);
            field = '';
            state = S.fieldStart;
            i++;
            if (d !== ',') {
              endRecord();
              line++;
              afterCR = d === '\r';
            }
          }
          break;
        }
        case S.quoted: {
          const j = text.indexOf('"', i);
          const chunk = j === -1 ? text.slice(i) : text.slice(i, j);
          for (let k = 0; k < chunk.length; k++) {
            const d = chunk.charCodeAt(k);
            // Count CRLF once (a CR, then an LF that follows no CR), even when a chunk ends between them.
            if (d === 13 || (d === 10 && !quotedCR)) line++;
            quotedCR = d === 13;
          }
          field += chunk;
          if (j === -1) {
            i = n;
          } else {
            state = S.quoteInQuoted;
            i = j + 1;
          }
          break;
        }
        case S.quoteInQuoted:
          quotedCR = false;
          if (c === '"') {
            field += '"';
            state = S.quoted;
            i++;
          } else if (c === ',' || c === '\r' || c === '\n') {
            record.push(field);
            field = '';
            state = S.fieldStart;
            i++;
            if (c !== ',') {
              endRecord();
              line++;
              afterCR = c === '\r';
            }
          } else {
            throw new CsvSyntaxError('a quoted field must end at a comma or a line end', line);
          }
          break;
      }
    }
  };

  for await (const chunk of source) {
    consume(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield* out;
    out.length = 0;
  }
  consume(decoder.decode());
  if ((state as State) === S.quoted) throw new CsvSyntaxError('a quoted field is never closed', recordLine);
  if ((state as State) !== S.fieldStart || record.length > 0) {
    record.push(field);
    endRecord();
  }
  yield* out;
}
