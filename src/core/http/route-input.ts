import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { notFound } from './errors.ts';
import { type FormResult, parseForm } from './forms.ts';
import { readMultipartForm, type UploadedFile } from './multipart.ts';

/** Files a route takes: how many, and how large each may be (the scope's limit when absent). */
export type UploadLimits = { maxFiles: number; maxFileBytes?: number };

/**
 * What a route declares about its input. `params` that do not parse answer 404, like a missing
 * record; a `query` that does not parse is read as if empty (schemas give their defaults with
 * `.catch`); a `body` is parsed as a form, so a handler gets typed data or messages with
 * everything typed. `upload` makes the body multipart/form-data.
 */
export type InputSchemas<P, Q, B> = { params?: P; query?: Q; body?: B; upload?: UploadLimits };

type Output<S, Empty> = S extends z.ZodType ? z.output<S> : Empty;

export type RouteInput<P, Q, B> = {
  params: Output<P, Record<string, never>>;
  query: Output<Q, Record<string, never>>;
  /** The posted form, parsed: present exactly when the route declares `body`. */
  form: B extends z.ZodType ? FormResult<z.output<B>> : undefined;
  /** Files chosen, on `upload` routes; empty otherwise. */
  files: UploadedFile[];
  /** The form carried more files than `upload.maxFiles`; the extra ones were not kept. */
  tooManyFiles: boolean;
  /** The form carried more fields than the scope allows; the rest were not read. */
  tooManyParts: boolean;
  /** A text value went past the scope's field size and was cut. */
  truncatedValues: boolean;
};

/** The raw values of a form body, before its schema: for the token checks made on them. */
export type RawForm = { values: Record<string, unknown>; files: UploadedFile[]; tooManyFiles: boolean; tooManyParts: boolean; truncatedValues: boolean };

/** Reads the body: URL-encoded (already parsed by Fastify) or, on upload routes, multipart. */
export async function readBody(request: FastifyRequest, upload: UploadLimits | undefined): Promise<RawForm> {
  if (upload) return readMultipartForm(request, upload);
  const body = request.body;
  return { values: body && typeof body === 'object' ? (body as Record<string, unknown>) : {}, files: [], tooManyFiles: false, tooManyParts: false, truncatedValues: false };
}

/** Parses params, query and an already read body against the route's schemas. */
export function parseInput<P, Q, B>(request: FastifyRequest, schemas: InputSchemas<P, Q, B>, body: RawForm | undefined): RouteInput<P, Q, B> {
  let params: unknown = {};
  if (schemas.params) {
    const parsed = (schemas.params as unknown as z.ZodType).safeParse(request.params);
    if (!parsed.success) throw notFound();
    params = parsed.data;
  }
  let query: unknown = {};
  if (schemas.query) {
    const schema = schemas.query as unknown as z.ZodType;
    const parsed = schema.safeParse(request.query ?? {});
    query = parsed.success ? parsed.data : schema.parse({});
  }
  const form = schemas.body ? parseForm(schemas.body as unknown as z.ZodType, body?.values ?? {}) : undefined;
  const limits = { tooManyFiles: body?.tooManyFiles ?? false, tooManyParts: body?.tooManyParts ?? false, truncatedValues: body?.truncatedValues ?? false };
  return { params, query, form, files: body?.files ?? [], ...limits } as RouteInput<P, Q, B>;
}
