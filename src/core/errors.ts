import type { Params } from './i18n/catalog.ts';

/** Every way a request may be refused. Each code fixes one status, and none is a 5xx. */
export type ErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'bad_request'
  | 'invalid_form'
  | 'conflict'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'csrf';

/** The HTTP status of each error code. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
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

/**
 * The base of every refusal the code means to make, thrown by services that know nothing of
 * HTTP: a rule version out of order, a file that cannot be imported, an input a form must show.
 * The code fixes the status; `messageKey` (with `params`) is what the person reads, beside the
 * field of a form that catches it, or on the error page the error handler renders when nothing
 * does. `message` stays plain English for logs and the command line. Whatever is thrown that is
 * not a DomainError is a bug, and answers 500 with no detail.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /**
   * A translation key; without one the page says what the status generally means. A subclass
   * that always has one narrows it (`declare readonly messageKey: string`) for the forms that catch it.
   */
  readonly messageKey: string | undefined;
  readonly params: Readonly<Params>;

  constructor(code: ErrorCode, options: { message?: string; messageKey?: string; params?: Params } = {}) {
    super(options.message ?? options.messageKey ?? code);
    this.name = new.target.name;
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.messageKey = options.messageKey;
    this.params = options.params ?? {};
  }
}
