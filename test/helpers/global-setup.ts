// Builds the browser assets once per run: pages link hashed file names from the manifest.
export default async function setup(): Promise<void> {
  // @ts-expect-error: a plain .mjs build script without type declarations
  const { buildAssets } = await import('../../scripts/assets.mjs');
  await buildAssets({ minify: false });
}
