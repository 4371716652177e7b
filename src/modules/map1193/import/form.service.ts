import type { Context } from '../../../core/context.ts';
import type { FormErrors, FormResult } from '../../../core/http/forms.ts';
import type { UploadedFile } from '../../../core/http/multipart.ts';
import { chooseFilesAgain } from '../../../core/uploads/index.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import { type importFormSchema, mappingInput } from './forms.ts';
import { CsvSyntaxError } from './csv-reader.ts';
import { type ColumnMapping, csvRows, geojsonRows, IMPORT_FIELDS, ImportFileError, importBusinesses, type ImportReport, type RawRecord } from './import.ts';
import type { z } from 'zod';

/** Big enough for a county's business licences (100,000 rows is about 15 MB of CSV). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

function rowsOf(bytes: Buffer, format: 'csv' | 'geojson', mapping: ColumnMapping): AsyncIterable<RawRecord> | Iterable<RawRecord> {
  if (format === 'csv') return csvRows([bytes], mapping);
  // A UTF-8 byte order mark is legal in front of a JSON file saved by some editors.
  return geojsonRows(JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')), mapping);
}

/**
 * Whether the bytes are UTF-8 (a byte order mark allowed). Spreadsheets often save "CSV" as
 * Windows-1252 or UTF-16; read as UTF-8 their accented names would be stored garbled.
 */
function isUtf8(bytes: Buffer): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Why a whole file was refused, as a message for the file field. */
function fileProblem(error: unknown): FormErrors['file'] | undefined {
  if (error instanceof ImportFileError || error instanceof CsvSyntaxError) return { key: error.messageKey, params: error.params };
  if (error instanceof SyntaxError) return { key: 'map.import.errors.notJson' };
  return undefined;
}

export type ImportFormInput = { form: FormResult<z.output<typeof importFormSchema>>; files: UploadedFile[] };

/**
 * A business file uploaded in the console: read as UTF-8 CSV or GeoJSON with the columns the
 * form maps, and imported in one transaction. Refused, the form comes back with its values.
 */
export async function receiveImportForm(ctx: Context, { form, files }: ImportFormInput): Promise<{ form: FormState; report?: ImportReport }> {
  const maxMb = MAX_IMPORT_BYTES / 1024 / 1024;
  const errors: FormErrors = form.ok ? {} : { ...form.errors };
  const file = files.find((f) => f.field === 'file');
  if (!file) errors.file = { key: 'map.import.errors.file' };
  else if (file.truncated) errors.file = { key: 'map.import.errors.tooLarge', params: { mb: maxMb } };
  else if (!isUtf8(file.bytes)) errors.file = { key: 'map.import.errors.encoding' };
  chooseFilesAgain(errors, { field: 'file', chosen: file ? 1 : 0, message: { key: 'map.import.errors.fileAgain' } });
  if (!form.ok || !file || Object.keys(errors).length > 0) return { form: { values: form.values, errors } };

  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    const column = (form.data as Record<string, string | undefined>)[mappingInput(field)];
    if (column) mapping[field] = column;
  }
  const looksJson = /^\s*[[{]/.test(file.bytes.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, ''));
  const format = form.data.format === 'auto' ? (looksJson ? 'geojson' : 'csv') : form.data.format;
  try {
    const rows = rowsOf(file.bytes, format, mapping);
    const report = await importBusinesses(ctx, { rows, source: form.data.source, defaultCategory: form.data.category, file: 'console upload' });
    return { form: { values: form.values, errors: {} }, report };
  } catch (error) {
    const problem = fileProblem(error);
    if (!problem) throw error;
    // The import runs in one transaction: a file refused part-way has changed nothing.
    return { form: { values: form.values, errors: { file: problem } } };
  }
}
