#!/usr/bin/env bash
# Issue 6, the open-data portal: CKAN's datastore_search with include_total on the enterprise
# table (10M rows by default) published as 无条件开放: (a) a key filter (credit_code, pruned by
# file statistics after Z-ordering), (b) a low-cardinality filter (street, exact count over
# every row, limit 100), (c) no filter (count from the Delta log). Sequential latency with one
# keep-alive client (each answer checked against DuckDB), then wrk; beside DuckDB doing the same
# count + first page on the same Parquet files, in the same run.
# Usage: bench/open/run.sh [--rows N] [--work DIR] [--keep] [--data DATA_DIR]  (or ROWS=N …)
#   --data: measure on an existing data dir that holds the `enterprises` table, Z-ordered by
#   credit_code (what `bench/lake/run.sh --keep` leaves in its WORK/zhengshu-data, or an
#   earlier --keep run of this script): no second ingest and optimize, which take most of an
#   hour at 100M rows. The dir is used in place and never removed.
#   ZHENGSHU_BIN=path skips the release build and runs that binary instead.
#   WRK_SECS (15), WRK_CONNS (4), N_KEY (200), N_SCAN (30) tune the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
shared=$repo/../shared/bench
here=$repo/bench/open

rows=${ROWS:-10000000}
work=${WORK:-/tmp/zhengshu-open-bench}
keep=0
data_from=""
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=${2:?--rows needs a number}; shift 2 ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    --keep) keep=1; shift ;;
    --data) data_from=${2:?--data needs a directory}; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "--rows must be a positive integer, got '$rows'" >&2; exit 2; }

wrk_secs=${WRK_SECS:-15}
wrk_conns=${WRK_CONNS:-4}
n_key=${N_KEY:-200}
n_scan=${N_SCAN:-30}
duck_runs=20
street=坂田街道
provider=龙岗区市场监督管理局
name=企业登记信息

say() { printf '[open-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }
run_logged() {
  local log=$1; shift
  "$@" >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "failed ($(basename "$log")): $*"; }
}

# --- tools --------------------------------------------------------------------------------
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
for tool in wrk curl; do
  if ! command -v $tool >/dev/null; then
    say "installing $tool (Debian package '$tool')"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq $tool
  fi
done
if ! python3 -c 'import duckdb' 2>/dev/null; then
  say "installing duckdb with pip (the peer, and the CSV generator)"
  python3 -m pip install --quiet duckdb
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/zhengshu-target}
if [ -n "${ZHENGSHU_BIN:-}" ]; then
  bin=$ZHENGSHU_BIN
else
  say "building the release binary (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  cargo build --release -p zhengshu
  bin=$CARGO_TARGET_DIR/release/zhengshu
fi
[ -x "$bin" ] || die "no zhengshu binary at $bin"

mkdir -p "$work"
work=$(cd "$work" && pwd)
results=$work/results.txt
: >"$results"
record() { printf '%s=%s\n' "$1" "$2" >>"$results"; }
client=$here/load.py

# --- the input: an earlier benchmark's CSV when it is there, else generated once -------------
csv=""
for c in /tmp/zhengshu-lake-bench/enterprises-$rows.csv /tmp/zhengshu-share-bench/enterprises-$rows.csv \
  "$work/enterprises-$rows.csv"; do
  if [ -f "$c" ] && [ "$(wc -l <"$c")" -eq $((rows + 1)) ]; then csv=$c; break; fi
done
if [ -n "$csv" ]; then
  say "reusing $csv"
else
  [ -f "$shared/gen_enterprises.py" ] ||
    die "$shared/gen_enterprises.py not found: the shared folder must sit beside the repo (../shared)"
  csv=$work/enterprises-$rows.csv
  say "generating $rows rows into $csv"
  python3 "$repo/bench/gen_big.py" "$rows" "$work/enterprises-$rows.partial.csv" >/dev/null  # the shared generator, chunk by chunk
  mv "$work/enterprises-$rows.partial.csv" "$csv"
fi
record csv_bytes "$(stat -c %s "$csv")"

# --- the lake table ---------------------------------------------------------------------------
zs() { "$bin" --data-dir "$data" --log warn "$@"; }
if [ -n "$data_from" ]; then
  data=$(cd "$data_from" && pwd)
  keep=1
  [ -d "$data/lake/enterprises/_delta_log" ] || die "$data holds no lake table enterprises"
  # The passwords of this script's users, made on the first run on this dir.
  env_file=$data/open-bench.env
  if [ -f "$env_file" ]; then
    # shellcheck disable=SC1090
    . "$env_file"
  else
    reviewer=bench-reviewer-$RANDOM
    reviewer_pw=Bench-Review-$RANDOM$RANDOM
    admin_pw=Bench-Admin-$RANDOM$RANDOM
    run_logged "$work/user-add.log" zs user add --username "$reviewer" --role reviewer \
      --unit "$provider" --password "$reviewer_pw"
    printf 'reviewer=%s\nreviewer_pw=%s\nadmin_pw=%s\n' "$reviewer" "$reviewer_pw" "$admin_pw" >"$env_file"
  fi
  say "measuring on the existing data dir $data (no ingest, no optimize)"
  record rows_written "$(zs sql --format csv "SELECT count(*) FROM enterprises" | grep -E '^[0-9]+$' | tail -n 1)"
  record rows_quarantined "see the run that made $data"
else
data=$work/zhengshu-data
reviewer=bench-reviewer
rm -rf "$data"
mkdir -p "$data"
printf '单位名称,层级\n%s,区级\n' "$provider" >"$work/units.csv"
run_logged "$work/unit-import.log" zs unit import "$work/units.csv"
reviewer_pw=Bench-Review-$RANDOM$RANDOM
admin_pw=Bench-Admin-$RANDOM$RANDOM
# The catalog wants a resource's reviewer to be another person than its submitter (admin).
run_logged "$work/user-add.log" zs user add --username "$reviewer" --role reviewer \
  --unit "$provider" --password "$reviewer_pw"
say "ingest --create ($rows rows)"
t0=$(date +%s%N)
zs ingest --create --unit "$provider" --name "$name" --table enterprises --key credit_code \
  --format json "$csv" >"$work/ingest.json" 2>"$work/ingest.log" ||
  { tail -n 30 "$work/ingest.log" >&2; die "zhengshu ingest failed (log: $work/ingest.log)"; }
record ingest_s "$(awk "BEGIN{print ($(date +%s%N) - $t0) / 1e9}")"
python3 - "$work/ingest.json" >>"$results" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
print(f"rows_written={j['rows_written']}\nrows_quarantined={j['rows_quarantined']}")
EOF
say "lake optimize --zorder credit_code"
t0=$(date +%s%N)
run_logged "$work/optimize.log" zs lake optimize enterprises --zorder credit_code
record optimize_s "$(awk "BEGIN{print ($(date +%s%N) - $t0) / 1e9}")"
printf 'reviewer=%s\nreviewer_pw=%s\nadmin_pw=%s\n' "$reviewer" "$reviewer_pw" "$admin_pw" >"$data/open-bench.env"
fi

codes=$work/codes.txt
zs sql --format csv --max-rows 1000 \
  "SELECT credit_code FROM enterprises ORDER BY random() LIMIT 1000" |
  grep -E '^[0-9A-Z]{18}$' | awk '!seen[$0]++' >"$codes" || true
[ "$(wc -l <"$codes")" -ge "$n_key" ] || die "could not draw $n_key credit codes from the table (got $(wc -l <"$codes"))"
record codes "$(wc -l <"$codes")"

# --- the peer: DuckDB on the table's own Parquet files ------------------------------------------
table_dir=$data/lake/enterprises
[ -d "$table_dir/_delta_log" ] || die "no Delta table at $table_dir"
python3 "$client" active-files "$table_dir" "$work/files.json" >"$work/files.out" || die "reading the Delta log failed"
say "DuckDB: count + first page, $duck_runs runs per case ($(cat "$work/files.out"))"
python3 "$client" duck "$work/files.json" "$codes" "$street" "$duck_runs" "$work/expect.json" >>"$results" ||
  die "the DuckDB peer failed"

# --- the server ---------------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "zhengshu serve on 127.0.0.1:$port ($work/serve.log)"
"$bin" --data-dir "$data" serve --listen "127.0.0.1:$port" --admin-password "$admin_pw" \
  >"$work/serve.out" 2>"$work/serve.log" &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap stop_server EXIT
for _ in $(seq 120); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { tail -n 30 "$work/serve.log" >&2; die "zhengshu serve exited"; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || die "zhengshu serve not ready after 60 s"

say "publish $name as 无条件开放 (catalog API: PUT open_type, submit, approve)"
code=$(python3 "$client" setup "$port" "$admin_pw" "$reviewer" "$reviewer_pw" "$name" "$work/setup.json") ||
  die "publishing the resource failed (server log: $work/serve.log)"
record dataset "$code"

say "one keep-alive client: $n_key key-filter calls, $n_scan each of street / no filter"
python3 "$client" sequential "$port" "$code" "$codes" "$street" "$work/expect.json" "$n_key" "$n_scan" >>"$results" ||
  die "sequential calls failed (server log: $work/serve.log)"

# --- load: wrk ------------------------------------------------------------------------------------
python3 "$client" wrk-lua "$code" "$codes" "$work/key.lua"
street_path=$(python3 "$client" path "$code" "{\"street\": \"$street\"}")
all_path=$(python3 "$client" path "$code" "")
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)
load() {
  local case=$1 path=$2 lua=${3:-} cpu0 cpu1
  say "wrk -t2 -c$wrk_conns -d${wrk_secs}s --latency: $case"
  cpu0=$(cpu_ticks)
  if [ -n "$lua" ]; then
    wrk -t2 -c"$wrk_conns" -d"${wrk_secs}s" --timeout 30s --latency -s "$lua" "http://127.0.0.1:$port/" >"$work/wrk-$case.txt" 2>&1
  else
    wrk -t2 -c"$wrk_conns" -d"${wrk_secs}s" --timeout 30s --latency "http://127.0.0.1:$port$path" >"$work/wrk-$case.txt" 2>&1
  fi || { cat "$work/wrk-$case.txt" >&2; die "wrk failed for $case"; }
  cpu1=$(cpu_ticks)
  python3 - "$work/wrk-$case.txt" "$case" $((cpu1 - cpu0)) "$hz" >>"$results" <<'EOF'
import re, sys
text, name, ticks, hz = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def ms(v):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", v) or sys.exit(f"wrk: cannot read the time {v!r}")
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)]
for p in ("50", "90", "99"):
    m = re.search(rf"^\s+{p}%\s+(\S+)", text, re.M) or sys.exit(f"wrk: no {p}% line in {sys.argv[1]}")
    print(f"wrk_{name}_p{p}_ms={ms(m.group(1)):.3f}")
rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M).group(1))
total = int(re.search(r"^\s+(\d+) requests in", text, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errs = re.search(r"Socket errors: (.*)", text)
print(f"wrk_{name}_rps={rps:.1f}")
print(f"wrk_{name}_requests={total}")
print(f"wrk_{name}_non2xx={bad.group(1) if bad else 0}")
print(f"wrk_{name}_socket_errors={errs.group(1).strip() if errs else 'none'}")
print(f"wrk_{name}_server_cpu_ms_per_req={ticks / hz * 1000 / max(total, 1):.3f}")
EOF
}
load key "" "$work/key.lua"
load street "$street_path"
load all "$all_path"
record server_rss_mib "$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")"
stop_server
trap - EXIT

# --- the report -----------------------------------------------------------------------------------
python3 - "$results" "$rows" "$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)" \
  "$wrk_secs" "$wrk_conns" "$(nproc)" "$street" <<'EOF'
import sys
r = {}
for line in open(sys.argv[1], encoding="utf-8"):
    k, _, v = line.rstrip("\n").partition("=")
    r[k] = v
rows, commit, secs, conns, cores, street = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]

def num(k):
    try:
        return float(r.get(k, ""))
    except ValueError:
        return None

def f(v, d=2):
    return "—" if v is None else f"{v:,.{d}f}"

print()
print(f"open-data benchmark: {rows:,} rows generated, {num('rows_written'):,.0f} in the table "
      f"({r.get('rows_quarantined')} quarantined), dataset {r.get('dataset')} (无条件开放); zhengshu {commit}; "
      f"{cores} cores shared by the server, wrk and the client; DuckDB {r.get('duck_version')} (2 threads) on the "
      f"table's {r.get('files')} Parquet files")
print(f"one client: median and p99 of {r.get('key_n')} (a) / {r.get('street_n')} (b, c) GET datastore_search "
      f"calls, each answer checked against DuckDB; load: wrk -t2 -c{conns} -d{secs}s")
print()
head = f"{'case':<52}{'median':>9}{'p99':>9}{'wrk p50':>9}{'wrk p99':>9}{'req/s':>9}{'DuckDB':>9}{'ratio':>7}"
print(head)
print("-" * len(head))
cases = [
    ("key", "(a) filters={credit_code}, include_total (pruned)"),
    ("street", f"(b) filters={{street: {street}}}, limit 100, exact total"),
    ("all", "(c) no filter, include_total (Delta log count)"),
]
for k, label in cases:
    med, duck = num(f"{k}_ms"), num(f"duck_{k}_ms")
    ratio = med / duck if med and duck else None
    print(f"{label:<52}{f(med):>9}{f(num(f'{k}_p99_ms')):>9}{f(num(f'wrk_{k}_p50_ms')):>9}"
          f"{f(num(f'wrk_{k}_p99_ms')):>9}{f(num(f'wrk_{k}_rps'), 1):>9}{f(duck):>9}{f(ratio):>7}")
print()
print(f"totals: (a) DuckDB's count for each of {r.get('key_right')} codes; (b) {int(num('street_total') or 0):,} rows "
      f"of {street}; (c) {int(num('all_total') or 0):,} rows")
print(f"(b) without include_total: median {f(num('street_nototal_ms'))} ms (the count's share of (b))")
print(f"HTTP floor (GET /healthz, same connection): {f(num('http_floor_ms'), 3)} ms")
for k, _ in cases:
    print(f"wrk {k}: {r.get(f'wrk_{k}_requests')} requests, non-2xx {r.get(f'wrk_{k}_non2xx')}, "
          f"socket errors {r.get(f'wrk_{k}_socket_errors')}, server CPU {r.get(f'wrk_{k}_server_cpu_ms_per_req')} ms/request")
print(f"DuckDB p99: (a) {f(num('duck_key_p99_ms'))} ms, (b) {f(num('duck_street_p99_ms'))} ms, (c) {f(num('duck_all_p99_ms'))} ms")
print(f"server peak RSS {r.get('server_rss_mib')} MiB; ingest {f(num('ingest_s'))} s, optimize --zorder {f(num('optimize_s'))} s")
target = num("wrk_key_p99_ms")
print(f"target p99 ≤ 50 ms with exact totals where the filter prunes: (a) under wrk p99 {f(target)} ms → "
      f"{'met' if target is not None and target <= 50 else 'MISSED'} (at {rows:,} rows; the target is stated for 100M)")
EOF

if [ "$keep" -eq 1 ]; then
  say "kept $work (data dir, results, wrk output, server log)"
else
  rm -rf "$data"
  say "removed the data dir; kept the CSV and $results (--keep keeps all)"
fi
