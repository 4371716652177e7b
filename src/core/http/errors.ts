import { DomainError, type ErrorCode } from '../errors.ts';
import type { Params } from '../i18n/catalog.ts';

/** The closed set of failures a route may answer with; anything else is a 500 with no detail shown. */
export type AppErrorCode = ErrorCode;

/** A refusal made at the HTTP edge (a guard, a rate limit, a missing record), with what HTTP adds to it. */
export class AppError extends DomainError {
  /** Translation keys per form field, for forms re-rendered with their values. */
  readonly fields: Readonly<Record<string, string>>;
  /** Seconds, sent as Retry-After with 429. */
  readonly retryAfter: number | undefined;

  constructor(code: AppErrorCode, options: { message?: string; messageKey?: string; params?: Params; fields?: Record<string, string>; retryAfter?: number } = {}) {
    super(code, { message: options.message, messageKey: options.messageKey, params: options.params });
    this.fields = options.fields ?? {};
    this.retryAfter = options.retryAfter;
  }
}

/** A missing record and a record the actor may not see are answered alike. */
export const notFound = () => new AppError('not_found');
