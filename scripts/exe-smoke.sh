#!/usr/bin/env bash
# Smoke test of the single executable: copied ALONE into an empty directory, with no node on PATH
# and no node_modules anywhere near, it must print its version, migrate its embedded database,
# sync the alpine fixtures from a loopback HTTP server, export a signed bundle, import it into a
# second data directory (record parsing runs on worker threads), analyze the Alpine test image
# (hashing runs on a worker thread; scripts/build-test-images.sh makes it) and answer /health.
set -euo pipefail
exe=$(realpath "${1:-dist/airlock}")
work=$(mktemp -d)
repo="$(cd "$(dirname "$0")/.." && pwd)"
# (Never `kill 0`: that signals the whole process group, this script's caller included.)
trap 'for p in ${pid:-} ${upstream:-}; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cp "$exe" "$work/airlock"
cp -r "$repo/feeds/drivers/alpine/fixtures" "$work/secdb"
image="${AIRLOCK_TEST_IMAGES:-$repo/.cache/test-images}/alpine/docker.tar"
[[ -f "$image" ]] || { echo "missing $image: run scripts/build-test-images.sh first" >&2; exit 1; }
cd "$work"
# A PATH with only the tools this script uses: no node anywhere on it.
mkdir tools
for t in curl sleep grep seq ls rm tr cat; do ln -s "$(command -v "$t")" "tools/$t"; done
# Debian's python3 (python3-yaml in .ci/apt-packages.txt pulls it in) serves the feed fixtures.
ln -s /usr/bin/python3 tools/python3
export PATH="$work/tools"
unset NODE_PATH NODE_OPTIONS
./airlock --version
./airlock db migrate --data-dir ./data
./airlock db status --data-dir ./data
# Hosts whose /tmp is noexec point the native addon elsewhere.
AIRLOCK_NATIVE_DIR="$work/native" ./airlock db status --data-dir ./data >/dev/null
ls "$work"/native/airlock-native-*/better_sqlite3.node >/dev/null
# Feed station -> USB -> appliance, all with the executable.
feed_port=$((20000 + RANDOM % 20000))
python3 -m http.server --bind 127.0.0.1 --directory secdb "$feed_port" >upstream.log 2>&1 &
upstream=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$feed_port/config.json" >/dev/null 2>&1 && break; sleep 0.05; done
curl -fsS "http://127.0.0.1:$feed_port/config.json" >/dev/null || { echo "fixture server did not start: $(cat upstream.log)" >&2; exit 1; }
printf 'feeds:\n  drivers:\n    alpine: { branches: [v3.15] }\n' >station.yaml
./airlock feeds sync --driver alpine --upstream "alpine=http://127.0.0.1:$feed_port" --config station.yaml --data-dir ./station
./airlock feeds keygen --out keys >/dev/null
./airlock feeds export --out bundle.tar --key keys/*.key --data-dir ./station >/dev/null
./airlock feeds import bundle.tar --trusted-keys keys --data-dir ./data
status=$(./airlock feeds status --data-dir ./data)
grep -q 'alpine' <<<"$status"
kill "$upstream"
unset upstream
# The analyzer's hashing worker runs inside the executable too: analyze a real (Alpine) image.
./airlock analyze "docker-archive:$image" --output analysis.json
grep -q '"sha256": "[0-9a-f]\{64\}"' analysis.json
grep -q '"name": "musl"' analysis.json
port=$((20000 + RANDOM % 20000))
./airlock serve --data-dir ./data --listen "127.0.0.1:$port" >serve.log 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  sleep 0.05
done
curl -fsS "http://127.0.0.1:$port/health"; echo
kill -TERM "$pid"
wait "$pid"
grep -q '"msg":"stopped"' serve.log
echo "exe smoke test passed: files in the directory: $(ls "$work" | tr "\n" " ")"
