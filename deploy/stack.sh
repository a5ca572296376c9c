#!/usr/bin/env bash
# The production layout on one machine, in one command (`make stack`): PostgreSQL (Debian's
# cluster, started if down), a Chroma server, the schema migrated, `overturn serve --workers 2`
# accepting uploads and 2 `overturn worker` processes reading them. Ctrl-C stops everything.
#
# Settings (environment): OVERTURN_HOME (default ./.overturn-stack), PORT (8000), CHROMA_PORT
# (8001), API_WORKERS (2), JOB_WORKERS (2), OVERTURN_DATABASE_URL (default: a local database
# 'overturn' with a role of the same name, made here when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export OVERTURN_HOME="${OVERTURN_HOME:-$PWD/.overturn-stack}"
PORT="${PORT:-8000}" CHROMA_PORT="${CHROMA_PORT:-8001}"
API_WORKERS="${API_WORKERS:-2}" JOB_WORKERS="${JOB_WORKERS:-2}"
mkdir -p "$OVERTURN_HOME"

if [ -z "${OVERTURN_DATABASE_URL:-}" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v pg_lsclusters >/dev/null; then
    echo "set OVERTURN_DATABASE_URL (postgresql+psycopg://user:pw@host:5432/db), or run as root with Debian's postgresql" >&2
    exit 2
  fi
  read -r version name port status _ < <(pg_lsclusters -h | head -1)
  [ "$status" = online ] || pg_ctlcluster "$version" "$name" start
  password_file="$OVERTURN_HOME/pg.password"
  [ -s "$password_file" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$password_file")
  password="$(cat "$password_file")"
  runuser -u postgres -- psql -qAt -v ON_ERROR_STOP=1 -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'overturn') THEN CREATE ROLE overturn LOGIN; END IF; END\$\$;" -c "ALTER ROLE overturn PASSWORD '$password'" >/dev/null
  runuser -u postgres -- psql -qAt -tc "SELECT 1 FROM pg_database WHERE datname = 'overturn'" | grep -q 1 \
    || runuser -u postgres -- createdb -O overturn overturn
  export OVERTURN_DATABASE_URL="postgresql+psycopg://overturn:$password@127.0.0.1:$port/overturn"
  (umask 077; echo "$OVERTURN_DATABASE_URL" > "$OVERTURN_HOME/database.url")
fi
export OVERTURN_CHROMA_URL="${OVERTURN_CHROMA_URL:-http://127.0.0.1:$CHROMA_PORT}"
export OVERTURN_JOBS=queue HF_HUB_OFFLINE=1

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait; exit 0' INT TERM
# freed memory scrubbed (see service/index/memory.py): the server writes its index files from
# buffers it does not clear
GLIBC_TUNABLES=glibc.malloc.perturb=90 "$BIN/chroma" run --path "$OVERTURN_HOME/chroma-server" --host 127.0.0.1 --port "$CHROMA_PORT" > "$OVERTURN_HOME/chroma.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$CHROMA_PORT") 2>/dev/null && break; sleep 0.2; done
"$BIN/overturn" db upgrade
for n in $(seq "$JOB_WORKERS"); do
  "$BIN/overturn" worker > "$OVERTURN_HOME/worker-$n.log" 2>&1 &
  pids+=($!)
done
"$BIN/overturn" serve --host 127.0.0.1 --port "$PORT" --workers "$API_WORKERS" &
pids+=($!)
echo "overturn: http://127.0.0.1:$PORT (API workers $API_WORKERS, job workers $JOB_WORKERS, Chroma :$CHROMA_PORT, logs in $OVERTURN_HOME); make a key with: OVERTURN_HOME=$OVERTURN_HOME OVERTURN_DATABASE_URL=\$(cat $OVERTURN_HOME/database.url) $BIN/overturn keys create --tenant NAME" >&2
wait
