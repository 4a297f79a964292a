# syntax=docker/dockerfile:1
# termdrift worker image. Build: docker build -t termdrift .
# Run:   docker run -d --stop-timeout 40 -v termdrift-data:/app/data \
#          -v $PWD/config:/app/config:ro -e TERMDRIFT_WATCHLIST=/app/config/watchlist.yaml \
#          -e SLACK_BOT_TOKEN -e SMTP_URL -e HF_TOKEN -e GITHUB_TOKEN -p 127.0.0.1:8787:8787 termdrift
# Mount the watchlist's directory (not the file) so edits saved by rename reach the worker's live reload.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY demo ./demo
COPY test/fakes ./test/fakes
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    TERMDRIFT_WATCHLIST=/app/watchlist.yaml \
    TERMDRIFT_DB=/app/data/termdrift.db \
    TERMDRIFT_HTTP=0.0.0.0:8787
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json watchlist.yaml ./
COPY bin ./bin
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8787
HEALTHCHECK --interval=60s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:8787/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM lets in-flight checks finish (TERMDRIFT_SHUTDOWN_GRACE, 30 s): give `docker stop` more than that.
STOPSIGNAL SIGTERM
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=2", "bin/termdrift.js", "run"]
