import type { FastifyInstance } from 'fastify';
import { markFormProblem } from './forms.ts';

/** How far past a route's limit a URL-encoded body is still read, so its form can come back filled. */
const KEEP_FACTOR = 4;

/**
 * The URL-encoded form parser. Fields land in an object with no prototype, so no field name
 * can reach `Object.prototype`; a repeated field becomes a list. A body over `limit` (and
 * under `limit * 4`) is still parsed and marked `tooLarge`: the route then answers with its
 * own form and a message, and the person keeps what they typed, instead of a bare 413 page.
 */
export function registerFormBody(app: FastifyInstance, options: { limit: number }): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: options.limit * KEEP_FACTOR }, (request, body, done) => {
    const fields = Object.create(null) as Record<string, string | string[]>;
    for (const [name, value] of new URLSearchParams(body as string)) {
      const earlier = fields[name];
      fields[name] = earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
    }
    // A route with a limit of its own keeps it: Fastify rejects past it before this parser runs.
    if ((body as string).length > options.limit) markFormProblem(fields, 'tooLarge');
    done(null, fields);
  });
}
