import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { compressPieces, FAST_COMPRESSION, negotiateEncoding, PIECE_BYTES } from '../../../core/http/compression.ts';
import { csvRow } from '../../../core/http/csv.ts';
import { type Context, contextFor, PUBLIC } from '../../../core/context.ts';
import type { AppServices } from '../../../core/module.ts';
import { categoryName } from '../rules/categories.ts';
import { listCategories } from '../rules/categories.service.ts';
import type { PublicBusiness } from './repo.ts';
import { bboxQuerySchema } from '../schema.ts';
import * as service from './service.ts';
import { bodyBytes, fillPieces } from './map-body.ts';

// `category_name` is last so files read by column position before it was added still line up.
const CSV_COLUMNS = ['id', 'name', 'address', 'city', 'lat', 'lng', 'category', 'status', 'status_changed_at', 'last_report_at', 'source', 'external_id', 'category_name'];

/** Category names in English (open data has no locale), from the stored categories. */
type Names = (code: string) => string;

const csvLine = (names: Names) => (b: PublicBusiness) =>
  csvRow([b.id, b.name, b.address, b.city, b.lat, b.lng, b.category, b.status, b.statusChangedAt, b.lastReportAt, b.source, b.externalId, names(b.category)]);

const geojsonFeature = (names: Names) => (b: PublicBusiness) =>
  JSON.stringify({
    type: 'Feature',
    id: b.id,
    // RFC 7946 allows a feature without a position: those businesses are in the data but not on any map.
    geometry: b.lat === null || b.lng === null ? null : { type: 'Point', coordinates: [b.lng, b.lat] },
    properties: {
      name: b.name,
      address: b.address,
      city: b.city,
      category: b.category,
      categoryName: names(b.category),
      status: b.status,
      statusChangedAt: b.statusChangedAt,
      lastReportAt: b.lastReportAt,
      source: b.source,
      externalId: b.externalId,
    },
  });

/**
 * Streams one chunk per page of rows: memory stays flat and the first bytes leave at once,
 * however many businesses there are.
 */
function stream(ctx: Pick<Context, 'db'>, head: string, lineWith: (names: Names) => (b: PublicBusiness) => string, separator: string, tail: string): Readable {
  async function* chunks() {
    const categories = await listCategories(ctx);
    const line = lineWith((code) => categoryName(categories, code, 'en'));
    yield Buffer.from(head);
    let first = true;
    let batch: string[] = [];
    for await (const business of service.exportBusinesses(ctx)) {
      batch.push(first ? line(business) : separator + line(business));
      first = false;
      if (batch.length >= 1000) {
        yield Buffer.from(batch.join(''));
        batch = [];
      }
    }
    yield Buffer.from(batch.join('') + tail);
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Open data and the map's JSON API: no locale, no HTML. */
export function registerDataRoutes(app: FastifyInstance, services: AppServices): void {
  const ctx = contextFor(services, PUBLIC);

  app.get('/map1193/businesses.csv', async (_request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="map1193-businesses.csv"')
      .header('cache-control', 'no-cache')
      .send(stream(ctx, csvRow(CSV_COLUMNS), csvLine, '', '')),
  );

  app.get('/map1193/businesses.geojson', async (_request, reply) =>
    reply
      .type('application/geo+json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="map1193-businesses.geojson"')
      .header('cache-control', 'no-cache')
      .send(stream(ctx, '{"type":"FeatureCollection","features":[\n', geojsonFeature, ',\n', '\n]}\n')),
  );

  app.get('/api/map1193/businesses', { compress: FAST_COMPRESSION }, async (request, reply) => {
    const parsed = bboxQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? 'query')))];
      return reply.code(400).type('application/json').send({ error: 'bad_request', fields });
    }
    const { bbox, zoom, ...filters } = parsed.data;
    const body = await service.mapFeatures(ctx, bbox, zoom, filters);
    reply.type('application/geo+json').header('cache-control', 'public, max-age=30');
    // A city view is up to ~1 MB: compressed as it is written, a piece at a time, with the event
    // loop free between pieces. Small answers and uncompressed ones go out as one buffer.
    const encoding = body.length > PIECE_BYTES ? negotiateEncoding(request.headers) : undefined;
    if (!encoding) return reply.send(bodyBytes(body));
    return reply
      .header('content-encoding', encoding)
      .header('vary', 'accept-encoding')
      .send(compressPieces((scratch) => fillPieces(body, scratch), encoding));
  });
}
