// `npm run dev`: rebuilds on change and restarts the server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { buildAssets } from './assets.mjs';
import { serverBuildOptions } from './build-options.mjs';

const root = path.resolve(import.meta.dirname, '..');
await buildAssets({ minify: false });
const ctx = await esbuild.context(serverBuildOptions);
await ctx.rebuild();
await ctx.watch();
spawn(process.execPath, ['--watch', '--enable-source-maps', path.join(root, 'dist/main.js')], { stdio: 'inherit' });
