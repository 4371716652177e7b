/** The closed set of failures a route may answer with; anything else is a 500 with no detail shown. */
export type AppErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'bad_request'
  | 'invalid_form'
  | 'conflict'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'csrf';

const statusByCode: Record<AppErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  bad_request: 400,
  invalid_form: 422,
  conflict: 409,
  too_many_requests: 429,
  payload_too_large: 413,
  csrf: 403,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  /** Translation keys per form field, for forms re-rendered with their values. */
  readonly fields: Readonly<Record<string, string>>;
  /** Seconds, sent as Retry-After with 429. */
  readonly retryAfter: number | undefined;

  constructor(code: AppErrorCode, options: { message?: string; fields?: Record<string, string>; retryAfter?: number } = {}) {
    super(options.message ?? code);
    this.code = code;
    this.status = statusByCode[code];
    this.fields = options.fields ?? {};
    this.retryAfter = options.retryAfter;
  }
}

/** A missing record and a record the actor may not see are answered alike. */
export const notFound = () => new AppError('not_found');
