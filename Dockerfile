# syntax=docker/dockerfile:1
# termdrift worker image (Node 24 LTS). Build: docker build -t termdrift .
# Run: see docs/operations.md ("Docker"). Mount the watchlist's directory (not the file) so edits saved by rename
# reach the worker's live reload.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build's second step bundles the CLI (scripts/bundle.mjs, esbuild from the dev dependencies).
COPY scripts ./scripts
# The build compiles bench/, demo/ and the test fakes too (tsconfig.build.json); only dist/src ships.
COPY bench ./bench
COPY demo ./demo
COPY test/fakes ./test/fakes
RUN npm run build && npm prune --omit=dev && rm -rf dist/bench dist/demo dist/test

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    TERMDRIFT_WATCHLIST=/app/watchlist.yaml \
    TERMDRIFT_DB=/app/data/termdrift.db \
    TERMDRIFT_HTTP=0.0.0.0:8787 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json watchlist.yaml ./
COPY bin ./bin
# The data directory belongs to the image's user, so a fresh named volume is writable by it.
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8787
# Follows TERMDRIFT_HTTP (host:port, a port, or off); with `off` there is no endpoint to ask, so it reports healthy.
HEALTHCHECK --interval=60s --timeout=5s --start-period=30s \
  CMD node -e "const v=process.env.TERMDRIFT_HTTP||'127.0.0.1:8787';if(v==='off')process.exit(0);const m=/^(?:(.*):)?(\d+)$/.exec(v);const h=!m||!m[1]||m[1]==='0.0.0.0'||m[1]==='::'||m[1]==='[::]'?'127.0.0.1':m[1];fetch('http://'+h+':'+(m?m[2]:'8787')+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM lets in-flight checks finish (TERMDRIFT_SHUTDOWN_GRACE, 30 s): give `docker stop` more than that.
STOPSIGNAL SIGTERM
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=2", "bin/termdrift.js", "run"]
