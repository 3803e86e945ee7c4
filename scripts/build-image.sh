#!/usr/bin/env bash
# Builds the Healer image without a Docker engine, then smoke-runs it with podman.
#
#   scripts/build-image.sh              build (local base) + smoke run
#   scripts/build-image.sh --no-smoke   build only
#   scripts/build-image.sh --smoke-only smoke-run an already built $IMAGE
#
# Environment:
#   IMAGE        tag to build (default localhost/healer:dev)
#   BASE         base image for both stages. Unset: build a local look-alike of
#                node:24-bookworm-slim (debootstrap bookworm minbase + tini + the project's pinned
#                Node 24 + the machine's npm) and use that. Set it to node:24-bookworm-slim where a
#                container registry is reachable.
#   REBUILD_BASE=1  rebuild the local base even if it exists.
#
# Needs root (apt-get, debootstrap, rootful buildah/podman) and `npm ci` done in the repo (the
# local base takes Node 24 from node_modules/node, the `node@24` devDependency). Installs the
# Debian packages it needs (debootstrap buildah podman runc curl) when they are missing.
# Storage: its own root (/var/lib/healer-image/storage, vfs driver), shared by buildah and podman:
#   podman --root /var/lib/healer-image/storage --runroot /run/healer-image/storage \
#     --storage-driver vfs images
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/healer:dev}
SUITE=bookworm
SMOKE=1
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-smoke) SMOKE=0 ;;
    --smoke-only) BUILD=0 ;;
    -h | --help)
      sed -n '2,20p' "$0"
      exit 0
      ;;
    *)
      echo "unknown argument: $arg" >&2
      exit 2
      ;;
  esac
done

START=$SECONDS
log() { printf '[build-image +%3ds] %s\n' "$((SECONDS - START))" "$*"; }
fail() {
  printf '[build-image +%3ds] FAIL: %s\n' "$((SECONDS - START))" "$*" >&2
  exit 1
}

# A storage of our own (vfs driver: works without overlay or fuse), shared by buildah and podman.
STORE_ROOT=${HEALER_IMAGE_STORE:-/var/lib/healer-image/storage}
RUN_ROOT=${HEALER_IMAGE_RUNROOT:-/run/healer-image/storage}
STORAGE=(--root "$STORE_ROOT" --runroot "$RUN_ROOT" --storage-driver vfs)
PODMAN=(podman "${STORAGE[@]}" --runtime runc --cgroup-manager cgroupfs --events-backend file)
BUILDAH=(buildah "${STORAGE[@]}")
# runc cannot raise rlimits above the sandbox's hard limits: ask for modest ones.
ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# --- tools --------------------------------------------------------------------------------------
missing=()
for pair in debootstrap:debootstrap buildah:buildah podman:podman runc:runc curl:curl; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  [ "$(id -u)" = 0 ] || fail "need root to apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
log "$(buildah --version | head -1); $(podman --version); $(runc --version | head -1)"

# --- local base ---------------------------------------------------------------------------------
# Where this machine's apt fetches Debian from (deb822 or one-line sources), so the base comes from
# the same archive.
debian_mirror() {
  local m=""
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/ && $i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/ && $i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  [ -n "$m" ] || fail "no Debian mirror found in /etc/apt/sources.list{,.d/debian.sources}"
  echo "$m"
}

build_local_base() {
  local node_bin npm_dir node_v npm_v root
  node_bin=$(readlink -f node_modules/node/bin/node 2>/dev/null || true)
  [ -x "$node_bin" ] || fail "node_modules/node/bin/node missing: run npm ci first"
  node_v=$("$node_bin" --version)
  case "$node_v" in v24.*) ;; *) fail "node_modules/node is $node_v, want v24" ;; esac
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  [ -f "$npm_dir/package.json" ] || fail "cannot locate npm's package directory ($npm_dir)"
  npm_v=$("$node_bin" -p "require('$npm_dir/package.json').version")
  BASE="localhost/healer-base:$SUITE-node${node_v#v}-npm$npm_v"

  if [ "${REBUILD_BASE:-0}" != 1 ] && "${PODMAN[@]}" image exists "$BASE"; then
    log "local base $BASE exists (REBUILD_BASE=1 to rebuild)"
    return
  fi
  local mirror
  mirror=$(debian_mirror)
  root=$(mktemp -d /tmp/healer-base.XXXXXX)
  chmod 0755 "$root" # mktemp makes it 0700: it becomes the image's "/", which every user must traverse
  log "debootstrap --variant=minbase $SUITE (+ tini, ca-certificates) into $root"
  if ! debootstrap --variant=minbase --include=tini,ca-certificates "$SUITE" "$root" "$mirror" \
    >/tmp/healer-debootstrap.log 2>&1; then
    tail -20 /tmp/healer-debootstrap.log >&2
    rm -rf "$root"
    fail "debootstrap failed (log: /tmp/healer-debootstrap.log)"
  fi
  # Same layout as the official node image: node and npm under /usr/local.
  install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
  log "importing the base as $BASE"
  tar --numeric-owner -C "$root" -c . | "${PODMAN[@]}" import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$BASE" >/dev/null
  rm -rf "$root"
  log "base: $("${PODMAN[@]}" run --rm --network=host "${ULIMITS[@]}" "$BASE" sh -c 'node --version; npm --version; tini --version' | tr '\n' ' ')"
}

if ((BUILD)); then
  [ "$(id -u)" = 0 ] || fail "run as root (debootstrap and rootful buildah)"
  if [ -z "${BASE:-}" ]; then build_local_base; fi
  log "buildah bud --build-arg BASE=$BASE -t $IMAGE"
  # Image timestamps from the last commit: the same tree gives the same config and layers.
  ts=$(git log -1 --format=%ct 2>/dev/null || echo 0)
  # Behind a TLS-intercepting proxy npm needs the machine's CA bundle: pass it as a build secret
  # (used by `npm ci` only, never stored in a layer).
  secret=()
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s "$NODE_EXTRA_CA_CERTS" ]; then
    secret=(--secret "id=extra_ca,src=$NODE_EXTRA_CA_CERTS")
  fi
  rc=0
  # No --layers: with the vfs driver every committed step is a full copy of the filesystem, so one
  # commit per stage is much faster than caching each step.
  "${BUILDAH[@]}" bud --isolation chroot --format docker --timestamp "$ts" "${secret[@]}" \
    --build-arg "BASE=$BASE" -t "$IMAGE" -f Dockerfile . >/tmp/healer-buildah.log 2>&1 || rc=$?
  grep -E 'STEP [0-9]+/[0-9]+|^COMMIT|^Successfully|^added [0-9]+ packages|^removed [0-9]+ packages|Error' \
    /tmp/healer-buildah.log | cut -c1-160 | sed 's/^/    /'
  if [ "$rc" != 0 ]; then
    tail -25 /tmp/healer-buildah.log >&2
    fail "buildah bud failed ($rc); full log: /tmp/healer-buildah.log"
  fi
  "${PODMAN[@]}" image exists "$IMAGE" || fail "buildah did not produce $IMAGE"
  log "built $IMAGE: $("${PODMAN[@]}" image inspect --format '{{.Id}} {{.Size}} bytes; user {{.Config.User}}; entrypoint {{.Config.Entrypoint}} cmd {{.Config.Cmd}}' "$IMAGE")"
fi

((SMOKE)) || exit 0

# --- smoke run ----------------------------------------------------------------------------------
PORT=${SMOKE_PORT:-$((20000 + RANDOM % 20000))}
NAME=healer-smoke-$$
DATA=$(mktemp -d /tmp/healer-smoke-data.XXXXXX)
chown 10001:10001 "$DATA"
cleanup() {
  "${PODMAN[@]}" rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT

run_container() {
  # Without systemd podman cannot schedule the HEALTHCHECK timer and says so on every start and
  # removal: drop that line (the check itself is run by hand below).
  "${PODMAN[@]}" run -d --name "$NAME" --network=host "${ULIMITS[@]}" \
    --read-only --tmpfs /tmp --cap-drop=ALL --security-opt no-new-privileges \
    -v "$DATA:/data" -e "HEALER_PORT=$PORT" "$IMAGE" 2> >(no_systemd_noise) >/dev/null
}
no_systemd_noise() { grep -v 'unable to get systemd connection' >&2 || true; }
wait_health() {
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$PORT/health" >/tmp/healer-smoke-health.json 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  "${PODMAN[@]}" logs "$NAME" | tail -20 >&2
  fail "/health did not answer within 30 s"
}

log "smoke: podman run --read-only --cap-drop=ALL -v <tmp>:/data, HEALER_PORT=$PORT"
run_container
wait_health
log "GET /health -> $(cat /tmp/healer-smoke-health.json)"
grep -q '"status":"healthy"' /tmp/healer-smoke-health.json || fail "/health body unexpected"

uid=$("${PODMAN[@]}" exec "$NAME" id -u)
log "container user: $("${PODMAN[@]}" exec "$NAME" id)"
[ "$uid" != 0 ] || fail "the process runs as root"
procs=$("${PODMAN[@]}" exec "$NAME" sh -c 'for p in /proc/[0-9]*; do [ -r $p/cmdline ] && printf "%s uid=%s %s\n" "${p#/proc/}" "$(awk "/^Uid:/{print \$2}" $p/status)" "$(tr "\0" " " <$p/cmdline)"; done' | grep -v -e ' sh -c' -e 'awk ' -e ' tr ' || true)
printf '%s\n' "$procs" | sed 's/^/    /'
printf '%s\n' "$procs" | grep -q '^1 uid=10001 /usr/bin/tini -- node dist/main.js serve' || fail "PID 1 is not tini as uid 10001"
if printf '%s\n' "$procs" | grep -q 'uid=0 '; then fail "a process runs as root"; fi
log "node in the image: $("${PODMAN[@]}" exec "$NAME" node --version)"

ready=$(curl -s -o /tmp/healer-smoke-ready.json -w '%{http_code}' "http://127.0.0.1:$PORT/ready")
log "GET /ready -> $ready $(head -c 300 /tmp/healer-smoke-ready.json)"

code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST "http://127.0.0.1:$PORT/api/v1/session/start" \
  -H 'content-type: application/json' \
  -d '{"play_id":"play-smoke-1","repository":"5dlabs/cto","tasks":[{"id":"1","title":"Smoke"}]}')
[ "$code" = 200 ] || fail "POST /api/v1/session/start -> $code"
active=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/sessions/active")
log "POST session/start -> 200; GET /api/v1/sessions/active -> $active"
[ -f "$DATA/healer.db" ] || fail "no /data/healer.db on the volume"

if hc=$("${PODMAN[@]}" healthcheck run "$NAME" 2>&1); then
  log "HEALTHCHECK (podman healthcheck run) -> ${hc:-healthy}"
else
  fail "HEALTHCHECK failed: $hc"
fi

log "SIGTERM"
t0=$(date +%s%N)
"${PODMAN[@]}" kill --signal TERM "$NAME" >/dev/null
exit_code=$(timeout 30 "${PODMAN[@]}" wait "$NAME") || fail "container still running 30 s after SIGTERM"
ms=$((($(date +%s%N) - t0) / 1000000))
"${PODMAN[@]}" logs "$NAME" 2>&1 | grep -E 'shutting down|stopped cleanly|exiting' | cut -c1-200 | sed 's/^/    /'
log "exit code $exit_code after ${ms} ms"
[ "$exit_code" = 0 ] || fail "exit code $exit_code after SIGTERM"
"${PODMAN[@]}" logs "$NAME" 2>&1 | grep -q 'stopped cleanly' || fail "no 'stopped cleanly' in the log"

log "restart on the same volume"
"${PODMAN[@]}" rm -f "$NAME" 2> >(no_systemd_noise) >/dev/null
run_container
wait_health
again=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/session/play-smoke-1")
printf '%s' "$again" | grep -q '"play_id":"play-smoke-1"' || fail "session lost across restart: $again"
log "session play-smoke-1 still there after restart"
"${PODMAN[@]}" stop -t 20 "$NAME" 2> >(no_systemd_noise) >/dev/null

log "SMOKE PASSED ($IMAGE)"
