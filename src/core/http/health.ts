import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.ts';
import type { Database } from '../../database.ts';

/** Liveness that means something: the answer is 200 only while the database answers. */
export function registerHealth(app: FastifyInstance, database: DatabaseHandle<Database>): void {
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`select 1`.execute(database.db);
      return reply.send({ status: 'ok', database: database.dialect });
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: database.dialect });
    }
  });
}
