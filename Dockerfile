# syntax=docker/dockerfile:1
#
# The dtk service image: `dtk serve` (scheduler + HTTP API for the Grafana app) and every other dtk command.
#
#   docker build -t dtk .
#   docker run -e DTK_API_TOKEN=$(openssl rand -hex 32) -p 8080:8080 -v "$PWD/my-project:/project" dtk
#
# The CLI runs from the TypeScript sources through tsx (bin/dtk.js requires tsx/cjs), so there is no build
# step: tsx is a runtime dependency and `npm ci --omit=dev` keeps it. The Grafana plugin (src/, dist/) is not
# part of this image; Grafana loads it from its own plugins directory. See docs/deploy.md.

ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so a source change does not reinstall them. The lockfile pins every version;
# chdb (the embedded engine) brings its Linux build as an optional per-platform package. `npm ci` refuses a
# lockfile that lacks some platform's optional packages (one written on a single platform); then the build
# says so and falls back to `npm install`, which keeps the locked versions and resolves only what is missing.
COPY package.json package-lock.json ./
RUN { npm ci --omit=dev \
      || { echo >&2 'dtk image: package-lock.json is incomplete for this platform (regenerate it with `npm install`); falling back to npm install'; \
           npm install --omit=dev --no-save; }; } \
    && npm cache clean --force

# Runtime sources only (.dockerignore keeps tests, the plugin, node_modules and local data out).
COPY bin/ bin/
COPY common/ common/
COPY service/src/ service/src/
COPY provisioning/ provisioning/

# Writable places for the non-root user:
# - /project:    the default project directory (mount yours here);
# - /data:       a volume for the embedded store (profile `type: embedded` with `path: /data`);
# - the demo project's .dtk (embedded data and API token of `dtk demo`).
RUN mkdir -p /project /data /app/provisioning/detectkit/.dtk \
    && chown node:node /project /data /app/provisioning/detectkit/.dtk
VOLUME ["/data"]

USER node

EXPOSE 8080

# Liveness through Node's own fetch: slim images have neither curl nor wget. DTK_HEALTH_URL overrides the
# address when the service is started with another --port.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
    CMD ["node", "-e", "fetch(process.env.DTK_HEALTH_URL || 'http://127.0.0.1:8080/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["node", "bin/dtk.js"]
CMD ["serve", "--project", "/project"]
