import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** esbuild options for the server and CLI bundles in dist/. */
export const serverBuildOptions = {
  entryPoints: [path.join(root, 'src/main.ts'), path.join(root, 'src/cli.ts')],
  outdir: path.join(root, 'dist'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: true,
  logLevel: 'warning',
};
