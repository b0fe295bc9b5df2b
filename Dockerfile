# vendre-pull in a container: the daemon (`run`) with its state, archive, quarantine, published tree
# and drop folder on volumes. Build: docker build -t vendre-pull . ; an example: samples/docker/compose.yaml.

# Build stage: dev dependencies (TypeScript, esbuild) exist only here.
FROM node:20-bookworm-slim AS build
# better-sqlite3 builds from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src/ src/
COPY scripts/ scripts/
# npm ci runs `prepare` (= npm run build); prune leaves the runtime dependencies.
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    VENDRE_PULL_CONFIG=/etc/vendre-pull/vendre-pull.yaml
WORKDIR /app
COPY --from=build /app/node_modules/ node_modules/
COPY --from=build /app/dist/ dist/
COPY package.json LICENSE README.md ./
COPY schemas/ schemas/
# The image's `node` user (uid 1000) owns the data folders; the process never runs as root.
RUN mkdir -p /var/lib/vendre-pull/state /var/lib/vendre-pull/archive /var/lib/vendre-pull/quarantine /var/lib/vendre-pull/public /srv/vendre-pull/drop /etc/vendre-pull \
 && chown -R node:node /var/lib/vendre-pull /srv/vendre-pull
USER node
# The published tree is a volume too: the manifest in the state says what it holds.
VOLUME ["/var/lib/vendre-pull/state", "/var/lib/vendre-pull/archive", "/var/lib/vendre-pull/quarantine", "/var/lib/vendre-pull/public", "/srv/vendre-pull/drop"]
# serve (the Pull API); the admin port stays on the container's loopback, where the health check asks.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["run"]
