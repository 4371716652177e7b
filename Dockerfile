# syntax=docker/dockerfile:1
# HEAT Watch image: built on a machine with a container daemon (`docker compose build`); the
# build steps are the scripts CI runs (scripts/build.mjs), so what CI proves is what this runs.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Browser assets with hashed names (public/assets) and the server and CLI bundles (dist/).
RUN node scripts/build.mjs
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/heatwatch
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/public ./public
COPY --from=build /app/locales ./locales
COPY --from=build /app/content ./content
# The only writable place; run the container with a read-only root (compose.yaml does).
RUN mkdir -p /var/lib/heatwatch && chown node:node /var/lib/heatwatch
VOLUME ["/var/lib/heatwatch"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
