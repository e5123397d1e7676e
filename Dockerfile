# Patchboard's dashboard with its scheduled ingest, installed from the packed workspaces as any user would
# install them (packages/cli/test/install.test.ts performs the same steps without Docker).
#
#   docker build -t patchboard .
#   docker run --read-only --tmpfs /tmp -v patchboard-data:/data -p 8470:8470 patchboard \
#     serve --host 0.0.0.0 --ingest s3://BUCKET/PREFIX --every 1h
#
# The root file system can be read-only: the database lives in /data (a volume), the dashboard's private
# snapshot copies in /tmp (a tmpfs). No Chromium in the image, so PDF downloads answer with an error there;
# CSV and JSON work.

# Stage 1: compile the workspaces (dev dependencies needed) and pack them into tarballs.
FROM node:24-bookworm-slim AS pack
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund \
  && npm run build \
  && npm pack --pack-destination /packs \
    -w @patchboard/core -w @patchboard/generator -w @patchboard/aws -w @patchboard/engine-duckdb \
    -w @patchboard/engine-athena -w @patchboard/dashboard -w @patchboard/cli

# Stage 2: the tarballs alone, production dependencies only (DuckDB's native addon for this platform comes with
# @duckdb/node-api). Nothing of the repository, no compiler, no npm cache.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
  PATCHBOARD_DB=/data/patchboard.duckdb
WORKDIR /opt/patchboard
COPY --from=pack /packs /tmp/packs
RUN npm install --omit=dev --no-audit --no-fund --no-package-lock /tmp/packs/*.tgz \
  && rm -rf /tmp/packs && npm cache clean --force \
  && mkdir -p /data && chown node:node /data
# The image's own user (uid 1000), never root; it owns only /data.
USER node
VOLUME ["/data"]
EXPOSE 8470
# /healthz answers "ok" without sign-in and says nothing else.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8470/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/opt/patchboard/node_modules/@patchboard/cli/bin/patchboard.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8470"]
