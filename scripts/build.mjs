// `npm run build`: browser assets, then the server and CLI bundled to dist/ (dependencies stay external).
import * as esbuild from 'esbuild';
import { buildAssets } from './assets.mjs';
import { serverBuildOptions } from './build-options.mjs';

await buildAssets();
await esbuild.build(serverBuildOptions);
