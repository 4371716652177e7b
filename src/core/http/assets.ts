import fs from 'node:fs';
import path from 'node:path';

export type AssetManifest = Readonly<Record<string, string>>;

/** Maps `app.css` to `/assets/app-3f9c2a1b.css` from the manifest the build writes. */
export function loadAssetManifest(publicDir: string): AssetManifest {
  const file = path.join(publicDir, 'assets', 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run "npm run build" to build the stylesheet and scripts`);
  }
  return Object.freeze(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);
}

export function assetUrl(manifest: AssetManifest, name: string): string {
  const hashed = manifest[name];
  if (!hashed) throw new Error(`unknown asset ${name}`);
  return `/assets/${hashed}`;
}
