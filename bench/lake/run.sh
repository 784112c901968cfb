#!/usr/bin/env bash
# Issue 4, the data lake: ingest the synthetic enterprise extract (CSV) into a Delta table
# through quality rules, query it with SQL, Z-order it, each beside DuckDB doing the same work
# in the same run (the yardsticks in ../shared/bench).
# Usage: bench/lake/run.sh [--rows N] [--work DIR] [--upsert-rows M] [--keep]
#   --upsert-rows M: the large upsert takes the file's first M rows (default: the whole file;
#   at 100M rows that needs ≈ 30 GB of TMPDIR and over an hour).
#   ZHENGSHU_BIN=path skips the release build and runs that binary instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
shared=$repo/../shared/bench

rows=10000000
work=/tmp/zhengshu-lake-bench
keep=0
upsert_rows=
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=${2:?--rows needs a number}; shift 2 ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    --keep) keep=1; shift ;;
    --upsert-rows) upsert_rows=${2:?--upsert-rows needs a number}; shift 2 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "--rows must be a positive integer, got '$rows'" >&2; exit 2; }
[ -z "$upsert_rows" ] || [[ $upsert_rows =~ ^[1-9][0-9]*$ ]] ||
  { echo "--upsert-rows must be a positive integer, got '$upsert_rows'" >&2; exit 2; }
[ -f "$shared/gen_enterprises.py" ] || {
  echo "$shared/gen_enterprises.py not found: the shared folder must sit beside the repo (../shared)" >&2
  exit 1
}

say() { printf '[lake-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }
# run_logged LOG CMD...: runs CMD with stdout+stderr in LOG; on failure shows the log's tail.
run_logged() {
  local log=$1; shift
  "$@" >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "failed ($(basename "$log")): $*"; }
}
# timed NAME OUT ERR CMD...: runs CMD under `/usr/bin/time -v -o WORK/NAME.time` with stdout in
# OUT and stderr in ERR, and samples its resident memory every 2 s into WORK/NAME.rss
# ("seconds MiB" lines): the peak alone does not say which phase of a long run took it.
timed() {
  local name=$1 out=$2 err=$3; shift 3
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$out" 2>"$err" &
  local waiter=$! pid="" t=0 status=0
  : >"$work/$name.rss"
  while kill -0 "$waiter" 2>/dev/null; do
    [ -n "$pid" ] || pid=$(pgrep -P "$waiter" | head -n 1 || true)
    if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
      awk -v t="$t" '/^VmRSS:/ {printf "%d %d\n", t, $2 / 1024}' "/proc/$pid/status" >>"$work/$name.rss" 2>/dev/null || true
    fi
    sleep 2; t=$((t + 2))
  done
  wait "$waiter" || status=$?
  return "$status"
}
# peak_mib NAME: the peak RSS /usr/bin/time measured for NAME, in MiB.
peak_mib() {
  local name=$1
  sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): \([0-9]*\)$/\1/p' "$work/$name.time" |
    awk '{printf "%.0f\n", $1 / 1024}'
}

# --- tools --------------------------------------------------------------------------------
if ! python3 -c 'import duckdb, deltalake, polars' 2>/dev/null; then
  say "installing duckdb deltalake polars with pip"
  python3 -m pip install --quiet duckdb deltalake polars
fi
if [ ! -x /usr/bin/time ]; then
  say "installing GNU time (Debian package 'time') for the peak-memory measurement"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq time
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

# --- the input, generated once per row count --------------------------------------------------
csv=$work/enterprises-$rows.csv
if [ -f "$csv" ] && [ "$(wc -l <"$csv")" -eq $((rows + 1)) ]; then
  say "reusing $csv"
else
  say "generating $rows rows into $csv"
  rm -f "$csv"
  python3 "$repo/bench/gen_big.py" "$rows" "$work/enterprises-$rows.partial.csv" >/dev/null  # the shared generator, chunk by chunk
  mv "$work/enterprises-$rows.partial.csv" "$csv"
fi
record csv_bytes "$(stat -c %s "$csv")"

# The point-lookup key: the credit code of the first data row that no rule rejects (row 1 of
# the generator carries every defect at once, so it is quarantined and would find nothing).
code=$(python3 - "$csv" <<'EOF'
import csv, re, sys
CC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def credit_ok(s):
    return len(s) == 18 and all(c in CC for c in s) and \
        CC[(31 - sum(CC.index(c) * w for c, w in zip(s, CC_W)) % 31) % 31] == s[17]
def id_ok(s):
    return len(s) == 18 and s[:17].isdigit() and \
        "10X98765432"[sum(int(c) * w for c, w in zip(s, ID_W)) % 11] == s[17].upper()
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for i, row in enumerate(csv.DictReader(f)):
        if row["name"].strip() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["established_on"]) \
                and id_ok(row["legal_rep_id"]) and credit_ok(row["credit_code"]):
            print(row["credit_code"]); break
        if i > 10000:
            sys.exit("no clean row in the first 10,000")
EOF
)
[[ $code =~ ^[0-9A-Z]{18}$ ]] || die "could not pick a credit code for the point lookup: '$code'"
record code "$code"

# --- the peer: DuckDB -----------------------------------------------------------------------
peer=$work/peer.parquet
rm -f "$peer"
say "DuckDB: CSV -> zstd Parquet"
out=$(python3 "$shared/duckdb_ingest.py" "$csv" "$peer")
[[ $out =~ rows=([0-9]+)\ secs=([0-9.]+) ]] || die "unexpected duckdb_ingest.py output: $out"
record duck_rows "${BASH_REMATCH[1]}"
record duck_ingest_s "${BASH_REMATCH[2]}"
record peer_bytes "$(stat -c %s "$peer")"

say "DuckDB: duckdb_query.py (one run each, its own point code)"
if python3 "$shared/duckdb_query.py" "$peer" >"$work/duckdb_query.out" 2>"$work/duckdb_query.err"; then
  record duck_script_error ""
else
  record duck_script_error "$(grep -E '^[A-Za-z_.]*(Error|Exception)\b' "$work/duckdb_query.err" | tail -n 1)"
fi
for q in agg filter point; do
  record "duck_script_${q}_s" "$(sed -n "s/^$q rows=[0-9]* secs=\([0-9.]*\)$/\1/p" "$work/duckdb_query.out")"
done

# The same three queries, timed like zhengshu's (5 runs in one connection, median of runs
# 2..5), with the point lookup on $code.
say "DuckDB: the three queries, 5 runs each"
python3 - "$peer" "$code" >>"$results" <<'EOF'
import statistics, sys, time
import duckdb
f, code = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET threads=2")
types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{f}')").fetchall())
date = "established_on"
if types.get("established_on") != "DATE":
    # The CSV's 'N/A' dates make DuckDB read the column as text; compare what parses.
    date = "TRY_CAST(established_on AS DATE)"
    print(f"duck_filter_note=established_on is {types.get('established_on')} in the Parquet file, filtered with TRY_CAST(... AS DATE)")
queries = {
    "agg": f"SELECT street, industry, count(*), sum(registered_capital) FROM '{f}' GROUP BY 1,2 ORDER BY 1,2",
    "filter": f"SELECT count(*) FROM '{f}' WHERE status='存续' AND {date} >= DATE '2015-01-01'",
    "point": f"SELECT * FROM '{f}' WHERE credit_code = '{code}'",
}
for name, q in queries.items():
    ms = []
    for _ in range(5):
        t = time.perf_counter()
        r = con.execute(q).fetchall()
        ms.append((time.perf_counter() - t) * 1000)
    print(f"duck_{name}_ms={statistics.median(ms[1:]):.2f}")
    print(f"duck_{name}_rows={len(r)}")
print(f"duck_filter_count={con.execute(queries['filter']).fetchone()[0]}")
print(f"duck_version={duckdb.__version__}")
EOF

# --- zhengshu -------------------------------------------------------------------------------
data=$work/zhengshu-data
rm -rf "$data"
mkdir -p "$data"
printf '单位名称,层级\n龙岗区市场监督管理局,区级\n' >"$work/units.csv"
run_logged "$work/unit-import.log" "$bin" --data-dir "$data" unit import "$work/units.csv"

say "zhengshu: ingest --create with quality rules"
/usr/bin/time -v -o "$work/ingest.time" "$bin" --data-dir "$data" ingest --create \
  --unit 龙岗区市场监督管理局 --name 企业登记信息 --table enterprises --key credit_code \
  --rules "$repo/bench/lake/rules.json" --format json "$csv" >"$work/ingest.json" 2>"$work/ingest.log" ||
  { tail -n 30 "$work/ingest.log" >&2; die "zhengshu ingest failed (log: $work/ingest.log)"; }
python3 - "$work/ingest.json" "$work/ingest.time" >>"$results" <<'EOF'
import json, re, sys
job = json.loads(open(sys.argv[1], encoding="utf-8").read())
for k in ("secs", "rows_read", "rows_written", "rows_quarantined", "rows_per_sec", "quality_score", "version"):
    print(f"zs_{k}={job.get(k, '')}")
timing = open(sys.argv[2]).read()
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
print(f"zs_rss_mib={rss_kb / 1024:.0f}")
wall = re.search(r"Elapsed \(wall clock\) time.*: ([\d:.]+)", timing).group(1)
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
print(f"zs_wall_s={secs:.2f}")
EOF
record lake_bytes "$(du -sb "$data/lake/enterprises" | cut -f1)"

# zsql_ms NAME SQL: 5 runs in one process; prints the median time_ms of runs 2..5 (the
# first one also opens the table).
zsql_ms() {
  "$bin" --data-dir "$data" sql --timing --repeat 5 --format csv "$2" >"$work/sql-$1.csv" 2>"$work/sql-$1.err" ||
    { tail -n 20 "$work/sql-$1.err" >&2; die "zhengshu sql failed for $1: $2"; }
  python3 - "$work/sql-$1.err" <<'EOF'
import re, statistics, sys
ms = [float(v) for v in re.findall(r"^time_ms=([0-9.]+)", open(sys.argv[1]).read(), re.M)]
if len(ms) < 5:
    sys.exit(f"expected 5 time_ms= lines in {sys.argv[1]}, found {len(ms)}")
print(f"{statistics.median(ms[1:5]):.2f}")
EOF
}
# zsql_value SQL: the single value a one-row, one-column query returns.
zsql_value() {
  "$bin" --data-dir "$data" sql --format csv "$1" | grep -v '^$' | tail -n 1
}

say "zhengshu: the three queries, 5 runs each"
# (Assignments first: a failure inside $(...) stops the script only through an assignment.)
ms=$(zsql_ms agg "SELECT street, industry, count(*), sum(registered_capital) FROM enterprises GROUP BY 1,2 ORDER BY 1,2")
record zs_agg_ms "$ms"
ms=$(zsql_ms filter "SELECT count(*) FROM enterprises WHERE status='存续' AND established_on >= DATE '2015-01-01'")
record zs_filter_ms "$ms"
ms=$(zsql_ms point "SELECT * FROM enterprises WHERE credit_code = '$code'")
record zs_point_ms "$ms"
record zs_count "$(zsql_value "SELECT count(*) FROM enterprises")"
record zs_filter_count "$(zsql_value "SELECT count(*) FROM enterprises WHERE status='存续' AND established_on >= DATE '2015-01-01'")"
record zs_point_rows "$(zsql_value "SELECT count(*) FROM enterprises WHERE credit_code = '$code'")"

say "zhengshu: lake optimize --zorder credit_code"
t0=$(date +%s%N)
timed optimize "$work/optimize.out" "$work/optimize.log" \
  "$bin" --data-dir "$data" lake optimize enterprises --zorder credit_code ||
  { tail -n 30 "$work/optimize.log" >&2; die "zhengshu lake optimize failed (log: $work/optimize.log)"; }
record zs_optimize_ms $((($(date +%s%N) - t0) / 1000000))
record zs_optimize_rss_mib "$(peak_mib optimize)"
ms=$(zsql_ms point-optimized "SELECT * FROM enterprises WHERE credit_code = '$code'")
record zs_point_opt_ms "$ms"
record zs_point_opt_rows "$(zsql_value "SELECT count(*) FROM enterprises WHERE credit_code = '$code'")"
# After optimize the directory also holds the replaced files until a vacuum; the current
# version's size is what `lake list` reports.
if "$bin" --data-dir "$data" lake list --format json >"$work/lake-list.json" 2>"$work/lake-list.err"; then
  record lake_bytes_opt "$(python3 -c 'import json,sys; print(next((t["bytes"] for t in json.load(open(sys.argv[1])) if t["table"] == "enterprises"), ""))' "$work/lake-list.json" 2>/dev/null || true)"
fi

# zs_upsert NAME FILE: `ingest enterprises --mode upsert FILE` under /usr/bin/time -v; records
# zs_NAME_secs, _status, _rows_written, _note (the report's upsert note) and _rss_mib.
zs_upsert() {
  local name=$1 file=$2
  timed "$name" "$work/$name.json" "$work/$name.log" "$bin" --data-dir "$data" ingest enterprises \
    --mode upsert --format json "$file" ||
    { tail -n 30 "$work/$name.log" >&2; die "zhengshu upsert of $file failed (log: $work/$name.log)"; }
  python3 - "$name" "$work/$name.json" "$work/$name.time" >>"$results" <<'EOF'
import json, re, sys
name = sys.argv[1]
job = json.loads(open(sys.argv[2], encoding="utf-8").read())
for k in ("secs", "status", "rows_written"):
    print(f"zs_{name}_{k}={job.get(k, '')}")
print(f"zs_{name}_note={'; '.join(n for n in job.get('notes', []) if n.startswith('upsert'))}")
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(sys.argv[3]).read()).group(1))
print(f"zs_{name}_rss_mib={rss_kb / 1024:.0f}")
EOF
}

# The whole file again as an upsert (every row's key is in the table): the merge reads the
# batch from a temporary file and, the batch being large, joins by sorting, spilling to disk,
# so its memory is bounded like the append's. No peer: DuckDB has no Delta MERGE here.
if [ -n "$upsert_rows" ]; then
  say "zhengshu: ingest --mode upsert of the file's first $upsert_rows rows (merge by credit_code)"
  head -n $((upsert_rows + 1)) "$csv" >"$work/upsert-head.csv"
  zs_upsert upsert "$work/upsert-head.csv"
  rm -f "$work/upsert-head.csv"
else
  say "zhengshu: ingest --mode upsert of the same file (merge by credit_code)"
  zs_upsert upsert "$csv"
fi
record zs_upsert_rows "${upsert_rows:-$rows}"
record zs_upsert_count "$(zsql_value "SELECT count(*) FROM enterprises")"

# Two corrections at either end of the key range (the smallest and the largest credit code),
# after the upsert above left the table's files unsorted by the key: a replace by key finds
# the files that hold the two codes and rewrites only those. (delta-rs's merge would scan
# every file in that key range and hold each unchanged file's rows in memory to its end.)
say "zhengshu: ingest --mode upsert of 2 rows (the smallest and the largest credit code)"
lo=$(zsql_value "SELECT min(credit_code) FROM enterprises")
hi=$(zsql_value "SELECT max(credit_code) FROM enterprises")
lo_row=$(grep -m 1 -F "$lo" "$csv") || die "no row of $lo in $csv"
hi_row=$(grep -m 1 -F "$hi" "$csv") || die "no row of $hi in $csv"
{ head -n 1 "$csv"; printf '%s\n%s\n' "$lo_row" "$hi_row"; } >"$work/fix.csv"
zs_upsert fix "$work/fix.csv"
record zs_fix_count "$(zsql_value "SELECT count(*) FROM enterprises")"

# --- the report -----------------------------------------------------------------------------
python3 - "$results" "$rows" "$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)" <<'EOF'
import sys
r = {}
for line in open(sys.argv[1], encoding="utf-8"):
    k, _, v = line.rstrip("\n").partition("=")
    r[k] = v
rows, commit = int(sys.argv[2]), sys.argv[3]

def num(k):
    try:
        return float(r.get(k, ""))
    except ValueError:
        return None

def fmt(v, unit=""):
    return "n/a" if v is None else f"{v:,.2f}{unit}"

def verdict(ok):
    return "" if ok is None else ("ok" if ok else "MISSED")

mib = 1024 * 1024
print()
print(f"lake benchmark: {rows:,} rows, {num('csv_bytes') / 1e9:.2f} GB CSV; zhengshu {commit}; "
      f"DuckDB {r.get('duck_version')} (2 threads)")
print("queries: median of runs 2..5 of 5 in one process (zhengshu sql --timing --repeat 5; the same for DuckDB)")
print()
head = f"{'measure':<28}{'zhengshu':>12}{'duckdb':>12}{'ratio':>8}   {'target':<16}"
print(head)
print("-" * len(head))
lines = [
    ("ingest (s)", "zs_secs", "duck_ingest_s", "ratio ≤ 1.0", lambda zs, ratio: ratio <= 1.0),
    ("agg (ms)", "zs_agg_ms", "duck_agg_ms", "ratio ≤ 1.2", lambda zs, ratio: ratio <= 1.2),
    ("filter (ms)", "zs_filter_ms", "duck_filter_ms", "", None),
    # The target is for the compacted (Z-ordered) table; before, every file may hold the code.
    ("point before optimize (ms)", "zs_point_ms", "duck_point_ms", "", None),
    ("point after optimize (ms)", "zs_point_opt_ms", "duck_point_ms", "≤ 20 ms", lambda zs, ratio: zs <= 20),
]
for label, zk, dk, target, test in lines:
    zs, dk_v = num(zk), num(dk)
    ratio = zs / dk_v if zs is not None and dk_v else None
    ok = test(zs, ratio) if test and zs is not None and ratio is not None else None
    print(f"{label:<28}{fmt(zs):>12}{fmt(dk_v):>12}{fmt(ratio):>8}   {target:<16}{verdict(ok)}")
rss = num("zs_rss_mib")
print(f"{'ingest peak RSS (MiB)':<28}{'n/a' if rss is None else f'{rss:,.0f}':>12}{'':>12}{'':>8}   {'≤ 1024 MiB':<16}"
      f"{verdict(None if rss is None else rss <= 1024)}")
opt_rss = num("zs_optimize_rss_mib")
print(f"{'optimize peak RSS (MiB)':<28}{'n/a' if opt_rss is None else f'{opt_rss:,.0f}':>12}{'':>12}{'':>8}   {'≤ 1024 MiB':<16}"
      f"{verdict(None if opt_rss is None else opt_rss <= 1024)}")
up_rss = num("zs_upsert_rss_mib")
print(f"{'upsert peak RSS (MiB)':<28}{'n/a' if up_rss is None else f'{up_rss:,.0f}':>12}{'':>12}{'':>8}   {'≤ 1024 MiB':<16}"
      f"{verdict(None if up_rss is None else up_rss <= 1024)}")
fix_rss = num("zs_fix_rss_mib")
print(f"{'2-row upsert peak RSS (MiB)':<28}{'n/a' if fix_rss is None else f'{fix_rss:,.0f}':>12}{'':>12}{'':>8}   {'≤ 1024 MiB':<16}"
      f"{verdict(None if fix_rss is None else fix_rss <= 1024)}")
print()
print(f"2-row upsert (the smallest and the largest code): {r.get('zs_fix_status')} in "
      f"{fmt(num('zs_fix_secs'), ' s')}, {r.get('zs_fix_rows_written')} rows written, count(*) after "
      f"{r.get('zs_fix_count')}; {r.get('zs_fix_note')}")
print(f"upsert of the file's first {int(r.get('zs_upsert_rows') or 0):,} rows: {r.get('zs_upsert_status')} in {fmt(num('zs_upsert_secs'), ' s')}, "
      f"count(*) after {r.get('zs_upsert_count')} (before {r.get('zs_count')}); {r.get('zs_upsert_note')}")
print(f"ingest: rows read {r.get('zs_rows_read')}, written {r.get('zs_rows_written')}, "
      f"quarantined {r.get('zs_rows_quarantined')} (DuckDB wrote {r.get('duck_rows')}); "
      f"{fmt(num('zs_rows_per_sec'))} rows/s, quality score {r.get('zs_quality_score')}, "
      f"process wall clock {fmt(num('zs_wall_s'), ' s')} (the JSON's secs: {fmt(num('zs_secs'), ' s')})")
print(f"table: count(*) = {r.get('zs_count')}; filter count zhengshu {r.get('zs_filter_count')}, "
      f"DuckDB {r.get('duck_filter_count')} (differ by the quarantined rows)")
lake, peer = num("lake_bytes"), num("peer_bytes")
print(f"size: lake table {lake / mib:,.1f} MiB (du -sb lake/enterprises after ingest), "
      f"peer Parquet {peer / mib:,.1f} MiB, ratio {lake / peer:.2f}")
if num("lake_bytes_opt") is not None:
    print(f"      after optimize the current version is {num('lake_bytes_opt') / mib:,.1f} MiB (lake list)")
print(f"optimize --zorder credit_code: {fmt(num('zs_optimize_ms') / 1000, ' s')}")
print(f"point lookup on {r.get('code')}: rows zhengshu {r.get('zs_point_rows')} "
      f"(after optimize {r.get('zs_point_opt_rows')}), DuckDB {r.get('duck_point_rows')}")
script = ", ".join(f"{q} {fmt(num(f'duck_script_{q}_s'), ' s')}" for q in ("agg", "filter", "point"))
print(f"duckdb_query.py (one run each, point on its own code): {script}")
if r.get("duck_script_error"):
    print(f"  duckdb_query.py failed: {r['duck_script_error']}")
if r.get("duck_filter_note"):
    print(f"  note: {r['duck_filter_note']}")
EOF

if [ "$keep" -eq 1 ]; then
  say "kept $work (data dir $data, $peer, $csv)"
else
  rm -rf "$data" "$peer"
  say "removed the data dir and the peer Parquet; kept $csv for the next run (--keep keeps all)"
fi
