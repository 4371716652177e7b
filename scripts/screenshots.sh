#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshots/*.png): the tip page, a day of action,
# the MAP1193 dashboard and the notice letter at 360 px and 1280 px, in Debian's Chromium
# against the real app on a fresh database with made-up data. Look at each one before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
SCREENSHOTS_DIR=docs/screenshots npx vitest run --project e2e test/e2e/screenshots.test.ts
ls -l docs/screenshots
