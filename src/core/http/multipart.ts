import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';
import { type FormValues, formValues, markFormProblem } from './forms.ts';

/** How many files the parser lets through before it stops reading a request at all. */
const PARSED_FILES = 20;

/**
 * A file from a form: the field it was chosen in, the name it was chosen under (never trusted,
 * shown only once made safe), its bytes, and whether it went over the size limit (then cut short).
 */
export type UploadedFile = { field: string; name: string; bytes: Buffer; truncated: boolean };

/**
 * `tooManyFiles`: the form carried more than `maxFiles` files; the parts after the limit were
 * not read. `tooManyParts`: more fields than the scope allows; the rest were not read.
 * `truncatedValues`: a text value went past the scope's field size and was cut.
 */
export type MultipartForm = { values: FormValues; files: UploadedFile[]; tooManyFiles: boolean; tooManyParts: boolean; truncatedValues: boolean };

/**
 * Reads a multipart/form-data body (or a URL-encoded one, for forms without a file chosen)
 * into every value typed and the files chosen. Repeated fields become lists, as with
 * URL-encoded bodies; empty file inputs are skipped. Needs @fastify/multipart in scope;
 * `maxFiles` caps how many files one request may carry, `maxFileBytes` (when given) replaces
 * the scope's size limit for each. Limits reached come back as flags, for the form to say so
 * with everything typed; a body that is not well-formed multipart answers 400.
 */
export async function readMultipartForm(request: FastifyRequest, options: { maxFiles: number; maxFileBytes?: number }): Promise<MultipartForm> {
  const form: MultipartForm = { values: {}, files: [], tooManyFiles: false, tooManyParts: false, truncatedValues: false };
  if (!request.isMultipart()) return { ...form, values: formValues(request.body) };
  const values = form.values;
  try {
    // The parser may see more files than we keep, so the fields sent after them (the button
    // pressed comes last) are still read; the extra files are drained, never held in memory.
    const limits = { files: Math.max(options.maxFiles, PARSED_FILES), ...(options.maxFileBytes ? { fileSize: options.maxFileBytes } : {}) };
    for await (const part of request.parts({ limits })) {
      if (part.type === 'file') {
        if (form.files.length >= options.maxFiles) {
          part.file.resume();
          await new Promise((resolve) => part.file.once('end', resolve));
          form.tooManyFiles = true;
          continue;
        }
        const bytes = await part.toBuffer();
        if (bytes.length > 0) form.files.push({ field: part.fieldname, name: part.filename ?? '', bytes, truncated: part.file.truncated });
        continue;
      }
      if (typeof part.value !== 'string') continue;
      if (part.valueTruncated) form.truncatedValues = true;
      const earlier = values[part.fieldname];
      values[part.fieldname] = earlier === undefined ? part.value : [...(Array.isArray(earlier) ? earlier : [earlier]), part.value];
    }
  } catch (error) {
    // Too many files or fields is the person's doing, not a broken request: the form comes back with what was read.
    const code = (error as { code?: string }).code;
    // The parser skips a field named like an object property and reads on; it reports it at the end.
    if (code === 'FST_PROTO_VIOLATION') markFormProblem(values, 'reservedName');
    else if (code === 'FST_FILES_LIMIT') form.tooManyFiles = true;
    else if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') form.tooManyParts = true;
    // Anything else is a body that is not well-formed multipart (or a client that went away).
    else throw new AppError('bad_request');
  }
  return form;
}
