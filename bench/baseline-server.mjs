// The ceiling a page route is measured against: the same Fastify, logger off, no plugins or
// hooks, answering GET / with bytes prepared before the first request.
//
//   BASELINE_BODY=<file> [BASELINE_BODY_BR=<file>] BASELINE_CONTENT_TYPE='text/html; charset=utf-8' PORT=3001 node bench/baseline-server.mjs
import fs from 'node:fs';
import Fastify from 'fastify';

const bodyFile = process.env.BASELINE_BODY;
if (!bodyFile) {
  console.error('BASELINE_BODY must name the file whose bytes GET / returns');
  process.exit(1);
}
const body = fs.readFileSync(bodyFile);
const contentType = process.env.BASELINE_CONTENT_TYPE ?? 'text/html; charset=utf-8';
const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? '127.0.0.1';

const app = Fastify({ logger: false });
app.get('/', (_request, reply) => {
  reply.type(contentType).send(body);
});
// Informational: the same page as precomputed brotli bytes, to compare with compressing per request.
if (process.env.BASELINE_BODY_BR) {
  const br = fs.readFileSync(process.env.BASELINE_BODY_BR);
  app.get('/br', (_request, reply) => {
    reply.type(contentType).header('content-encoding', 'br').header('vary', 'accept-encoding').send(br);
  });
}
app.get('/healthz', (_request, reply) => {
  reply.send({ status: 'ok' });
});

const shutdown = () => app.close().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

await app.listen({ port, host });
