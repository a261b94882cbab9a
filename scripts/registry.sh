#!/usr/bin/env bash
# Real Docker registries (Debian's docker-registry) on loopback for the analyzer tests.
#   scripts/registry.sh start   start (idempotent) and push the test images (skipped when this build is there)
#   scripts/registry.sh stop    stop the registries started here
#   scripts/registry.sh env     print the settings tests read (KEY=value lines)
# Three registries share one storage directory, so images pushed once are served by all:
#   plain  http://127.0.0.1:$AIRLOCK_REGISTRY_PORT        htpasswd basic auth
#   tls    https://127.0.0.1:$AIRLOCK_REGISTRY_TLS_PORT   htpasswd basic auth, cert from our own CA
#   token  http://127.0.0.1:$AIRLOCK_REGISTRY_TOKEN_PORT  bearer tokens from a token server the
#          tests run on 127.0.0.1:$AIRLOCK_TOKEN_SERVER_PORT, signed with token.key
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="${AIRLOCK_REGISTRY_DIR:-$repo/.cache/registry}"
images="${AIRLOCK_TEST_IMAGES:-$repo/.cache/test-images}"
port="${AIRLOCK_REGISTRY_PORT:-5080}"
tls_port="${AIRLOCK_REGISTRY_TLS_PORT:-5443}"
token_port="${AIRLOCK_REGISTRY_TOKEN_PORT:-5081}"
token_server_port="${AIRLOCK_TOKEN_SERVER_PORT:-5082}"
user=airlock
password=airlock-test-password

log() { printf '[registry] %s\n' "$*" >&2; }

certs() {
  [[ -f "$dir/ca.pem" && -f "$dir/token.pem" ]] && return
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=airlock test CA' \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 3650 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=airlock token issuer' \
    -keyout "$dir/token.key" -out "$dir/token.pem" 2>/dev/null
  htpasswd -Bbn "$user" "$password" >"$dir/htpasswd"
}

config() {
  local name="$1" addr="$2" extra="$3"
  cat >"$dir/$name.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
http:
  addr: $addr
$extra
EOF
}

running() { [[ -f "$dir/$1.pid" ]] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

launch() {
  local name="$1" url="$2"
  running "$name" && return
  nohup docker-registry serve "$dir/$name.yml" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
  for _ in $(seq 1 100); do
    # Any HTTP answer (401 included) means it is up.
    if curl -s -o /dev/null --cacert "$dir/ca.pem" "$url/v2/"; then return; fi
    sleep 0.1
  done
  log "$name did not start; see $dir/$name.log"
  exit 1
}

# Pushes test image $1 (as format $2, default as built) unless this very build is already there: the
# index.json hash recorded at push time tells a rebuilt image from the one the registry holds.
push() {
  local name="$1" format="${2:-}" dest="docker://127.0.0.1:$port/airlock/$1:latest" mark="$dir/pushed/$1" build
  build="$(sha256sum <"$images/$name/oci/index.json")"
  if [[ -f "$mark" && "$(cat "$mark")" == "$build" ]] &&
    skopeo inspect --raw --tls-verify=false --creds "$user:$password" "$dest" >/dev/null 2>&1; then return; fi
  log "pushing $name"
  skopeo copy --quiet --all ${format:+--format "$format"} --dest-tls-verify=false --dest-creds "$user:$password" \
    "oci:$images/$name/oci:$name" "$dest"
  mkdir -p "$dir/pushed"
  echo "$build" >"$mark"
}

start() {
  command -v docker-registry >/dev/null || { log 'missing docker-registry (apt-get install docker-registry)'; exit 1; }
  certs
  config plain "127.0.0.1:$port" "auth:
  htpasswd:
    realm: airlock-test
    path: $dir/htpasswd"
  config tls "127.0.0.1:$tls_port" "  tls:
    certificate: $dir/server.pem
    key: $dir/server.key
auth:
  htpasswd:
    realm: airlock-test
    path: $dir/htpasswd"
  config token "127.0.0.1:$token_port" "auth:
  token:
    realm: http://127.0.0.1:$token_server_port/token
    service: airlock-test-registry
    issuer: airlock-test-issuer
    rootcertbundle: $dir/token.pem"
  launch plain "http://127.0.0.1:$port"
  launch tls "https://127.0.0.1:$tls_port"
  launch token "http://127.0.0.1:$token_port"
  # Docker media types for the Debian images, OCI for the others, an index for multiarch.
  push bookworm v2s2
  push twolayer v2s2
  push langs v2s2
  push alpine
  push multiarch
  push rpm
}

stop() {
  for name in plain tls token; do
    if running "$name"; then kill "$(cat "$dir/$name.pid")"; fi
    rm -f "$dir/$name.pid"
  done
}

env() {
  cat <<EOF
AIRLOCK_REGISTRY=127.0.0.1:$port
AIRLOCK_REGISTRY_TLS=127.0.0.1:$tls_port
AIRLOCK_REGISTRY_TOKEN=127.0.0.1:$token_port
AIRLOCK_TOKEN_SERVER_PORT=$token_server_port
AIRLOCK_REGISTRY_CA=$dir/ca.pem
AIRLOCK_TOKEN_KEY=$dir/token.key
AIRLOCK_TOKEN_CERT=$dir/token.pem
AIRLOCK_REGISTRY_USERNAME=$user
AIRLOCK_REGISTRY_PASSWORD=$password
EOF
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
