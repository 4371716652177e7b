import type { FastifyRequest } from 'fastify';
import { type FormValues, markFormProblem } from './forms.ts';

/** How many files the parser lets through before it stops reading a request at all. */
const PARSED_FILES = 20;

/** A file from a form: its bytes, and whether it went over the size limit (then cut short). */
export type UploadedFile = { field: string; bytes: Buffer; truncated: boolean };

/** `tooManyFiles`: the form carried more than `maxFiles` files; the parts after the limit were not read. */
export type MultipartForm = { values: FormValues; files: UploadedFile[]; tooManyFiles: boolean };

/**
 * Reads a multipart/form-data body (or a URL-encoded one, for forms without a file chosen)
 * into every value typed and the files chosen. Repeated fields become lists, as with
 * URL-encoded bodies; empty file inputs are skipped. Needs @fastify/multipart in scope;
 * `maxFiles` caps how many files one request may carry, `maxFileBytes` (when given) replaces
 * the scope's size limit for each.
 */
export async function readMultipartForm(request: FastifyRequest, options: { maxFiles: number; maxFileBytes?: number }): Promise<MultipartForm> {
  if (!request.isMultipart()) return { values: (request.body ?? {}) as FormValues, files: [], tooManyFiles: false };
  const values: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  let tooManyFiles = false;
  try {
    // The parser may see more files than we keep, so the fields sent after them (the button
    // pressed comes last) are still read; the extra files are drained, never held in memory.
    const limits = { files: Math.max(options.maxFiles, PARSED_FILES), ...(options.maxFileBytes ? { fileSize: options.maxFileBytes } : {}) };
    for await (const part of request.parts({ limits })) {
      if (part.type === 'file') {
        if (files.length >= options.maxFiles) {
          part.file.resume();
          await new Promise((resolve) => part.file.once('end', resolve));
          tooManyFiles = true;
          continue;
        }
        const bytes = await part.toBuffer();
        if (bytes.length > 0) files.push({ field: part.fieldname, bytes, truncated: part.file.truncated });
        continue;
      }
      if (typeof part.value !== 'string') continue;
      const earlier = values[part.fieldname];
      values[part.fieldname] = earlier === undefined ? part.value : [...(Array.isArray(earlier) ? earlier : [earlier]), part.value];
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    // The parser skips a field named like an object property and reads on; it reports it at the end.
    if (code === 'FST_PROTO_VIOLATION') {
      markFormProblem(values, 'reservedName');
      return { values, files, tooManyFiles };
    }
    // Too many files is the person's choice, not a broken request: the form comes back with what was read.
    if (code !== 'FST_FILES_LIMIT') throw error;
    return { values, files, tooManyFiles: true };
  }
  return { values, files, tooManyFiles };
}
