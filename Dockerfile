# Healer image: multi-stage, non-root, read-only-root friendly, tini as PID 1.
#
#   BASE   the Debian bookworm image with Node and npm to build from. Default: the official
#          node:24-bookworm-slim. scripts/build-image.sh passes a local look-alike (a debootstrap'd
#          bookworm minbase with Node 24 and npm in /usr/local, plus tini) when no registry is
#          reachable.
#
# Node at run time is always the exact Node 24 pinned in package-lock.json (the `node@24.x`
# devDependency): the build stage copies that binary to /usr/local/bin/node of the runtime stage,
# so the image does not depend on which Node the base happens to carry.
ARG BASE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${BASE} AS build
WORKDIR /src
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# Dependencies first (cached while the lockfile is unchanged). `npm ci` with scripts: the `node`
# devDependency's install script places the pinned Node 24 binary in node_modules/node/bin/node.
# A build secret `extra_ca` (a PEM bundle), when given, is trusted for the registry download only
# (for builds behind a TLS-intercepting proxy); it never lands in a layer.
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=extra_ca \
    if [ -s /run/secrets/extra_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/extra_ca; fi; \
    npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compile, keep the pinned Node binary, drop dev dependencies (no production dependency has an
# install script, so pruning leaves a complete production tree), and lay out /out/app as the
# runtime's /app: package.json (the version /health reports), node_modules, dist, prompts, patterns.
RUN set -eux; \
    npm run build; \
    install -D -m 0755 "$(readlink -f node_modules/node/bin/node)" /out/node; \
    /out/node -e 'if (+process.versions.node.split(".")[0] !== 24) process.exit(1)'; \
    npm prune --omit=dev; \
    rm -rf node_modules/.cache node_modules/.package-lock.json; \
    mkdir -p /out/app; \
    cp -a package.json node_modules dist /out/app/
COPY prompts /out/app/prompts
COPY patterns /out/app/patterns

# ---------------------------------------------------------------------------------------------
FROM ${BASE} AS runtime
# One layer: drop the package managers of the base (npm, corepack, yarn: the service needs only
# `node`); put the pinned Node 24 in /usr/local/bin (mounted from the build stage, copied only when
# it differs from the base's, so an identical binary is not stored twice); install tini when the
# base lacks it; one system user, uid/gid 10001, no shell; /data writable by it alone.
RUN --mount=type=bind,from=build,source=/out/node,target=/run/healer-node \
    set -eux; \
    rm -rf /usr/local/lib/node_modules /opt/yarn-* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg; \
    cmp -s /run/healer-node /usr/local/bin/node \
      || install -m 0755 /run/healer-node /usr/local/bin/node; \
    node -e 'if (+process.versions.node.split(".")[0] !== 24) process.exit(1)'; \
    if [ ! -x /usr/bin/tini ]; then \
      apt-get update; \
      apt-get install -y --no-install-recommends tini; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    groupadd --system --gid 10001 healer; \
    useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin healer; \
    mkdir -p /data; \
    chown 10001:10001 /data; \
    chmod 0750 /data
# Application files are owned by root and read-only to the service user.
COPY --from=build /out/app /app
WORKDIR /app

ENV NODE_ENV=production \
    HEALER_HOST=0.0.0.0 \
    HEALER_PORT=8083 \
    HEALER_STORE=sqlite:/data/healer.db \
    HEALER_PROMPTS_DIR=/app/prompts

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8083
# No curl in the image: Node's fetch checks /health on the configured port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALER_PORT||8083)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini is PID 1: it forwards SIGTERM to Node (which drains requests and closes the store, see
# src/cli/serve.ts) and reaps zombies. `node dist/main.js serve` directly, not `npm start`
# (which would rebuild and would put npm between the signal and the service).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js", "serve"]
