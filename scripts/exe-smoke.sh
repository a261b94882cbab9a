#!/usr/bin/env bash
# Smoke test of the single executable: copied ALONE into an empty directory, with no node on PATH
# and no node_modules anywhere near, it must print its version, migrate its embedded database and
# answer /health.
set -euo pipefail
exe=$(realpath "${1:-dist/airlock}")
work=$(mktemp -d)
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$exe" "$work/airlock"
cd "$work"
# A PATH with only the tools this script uses: no node anywhere on it.
mkdir tools
for t in curl sleep grep seq ls rm tr; do ln -s "$(command -v "$t")" "tools/$t"; done
export PATH="$work/tools"
unset NODE_PATH NODE_OPTIONS
./airlock --version
./airlock db migrate --data-dir ./data
./airlock db status --data-dir ./data
# Hosts whose /tmp is noexec point the native addon elsewhere.
AIRLOCK_NATIVE_DIR="$work/native" ./airlock db status --data-dir ./data >/dev/null
ls "$work"/native/airlock-native-*/better_sqlite3.node >/dev/null
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
