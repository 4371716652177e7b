import { constants } from 'node:zlib';

/** What the app compresses and how: responses over 1 kB, brotli or gzip, at the library's levels. */
export const COMPRESSION = { threshold: 1024, encodings: ['br', 'gzip'] as ('br' | 'gzip')[] };

/**
 * For large answers computed per request (the map's GeoJSON, up to ~1 MB): the fastest levels.
 * Coordinates and ids compress poorly at any level (brotli 1 and gzip 1 come within 3 % of the
 * defaults on such a body) while the default levels take two to three times the CPU.
 */
export const FAST_COMPRESSION = {
  ...COMPRESSION,
  zlibOptions: { level: 1 },
  brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } },
};
