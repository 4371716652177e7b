// Builds browser assets into public/assets with content-hashed names, precompressed copies
// and a manifest the server reads. Used by `npm run build` and by the test setup.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

/** Logical asset name → source file. Islands are added here as the product grows. */
export const assetEntries = {
  'app.css': 'src/client/styles.css',
  'quick-exit.js': 'src/client/quick-exit.ts',
  'map1193.js': 'src/client/map1193.ts',
  'passkey.js': 'src/client/passkey.ts',
  'print.js': 'src/client/print.ts',
  'session-timeout.js': 'src/client/session-timeout.ts',
  'map1193-days.js': 'src/client/map1193-days.ts',
  'map1193-route.js': 'src/client/map1193-offline/page.ts',
  'map1193-sw.js': 'src/client/map1193-offline/sw.ts',
  'map1193.css': 'src/modules/map1193/styles/map1193.css',
  'map1193-map.css': 'src/modules/map1193/styles/map1193-map.css',
  'map1193-notice.css': 'src/modules/map1193/styles/map1193-notice.css',
  'map1193-letter.css': 'src/modules/map1193/styles/map1193-letter.css',
};

function hashed(name, contents) {
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 10);
  const ext = path.extname(name);
  return `${path.basename(name, ext)}-${hash}${ext}`;
}

/** Files no manifest names any more, once they are old enough that nothing can still be using them. */
function removeStale(outDir, current) {
  const cutoff = Date.now() - 10 * 60_000;
  for (const name of fs.readdirSync(outDir)) {
    if (current.has(name) || name.endsWith('.tmp')) continue;
    const full = path.join(outDir, name);
    if (fs.statSync(full).mtimeMs < cutoff) fs.rmSync(full, { force: true });
  }
}

export async function buildAssets({ outDir = path.join(root, 'public', 'assets'), minify = true } = {}) {
  // Never empty the folder first: a running server or a parallel test run may be serving the
  // current files. New names are added, the manifest is swapped in atomically, stale files go last.
  fs.mkdirSync(outDir, { recursive: true });
  const manifest = {};
  const written = new Set();
  const writeAtomic = (fileName, contents) => {
    const target = path.join(outDir, fileName);
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, contents);
    fs.renameSync(temporary, target);
    written.add(fileName);
  };
  for (const [name, source] of Object.entries(assetEntries)) {
    const result = await esbuild.build({
      entryPoints: [path.join(root, source)],
      bundle: true,
      minify,
      write: false,
      format: name.endsWith('.js') ? 'iife' : undefined,
      target: ['es2019', 'chrome80', 'firefox78', 'safari13'],
      loader: { '.png': 'file', '.svg': 'file' },
      assetNames: '[name]-[hash]',
      outdir: outDir,
      logLevel: 'warning',
    });
    for (const file of result.outputFiles) {
      const isMain = path.extname(file.path) === path.extname(name);
      const finalName = isMain ? hashed(name, file.contents) : path.basename(file.path);
      writeAtomic(finalName, file.contents);
      if (isMain) manifest[name] = finalName;
      if (/\.(js|css|svg|json)$/.test(finalName)) {
        writeAtomic(`${finalName}.gz`, zlib.gzipSync(file.contents, { level: 9 }));
        writeAtomic(`${finalName}.br`, zlib.brotliCompressSync(file.contents, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    }
  }
  writeAtomic('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  removeStale(outDir, written);
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAssets();
}
