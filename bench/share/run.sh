#!/usr/bin/env bash
# Issue 5, data sharing: the share API (scenario token → grant → masked view → audit log) on
# the lake's enterprise table, beside the same queries run directly in DataFusion
# (`zhengshu sql`) in the same run; sequential latency with a keep-alive client, then load
# with wrk. Prints each figure, the ratio share / direct and the targets.
# Usage: bench/share/run.sh [--rows N] [--work DIR] [--keep]
#   ZHENGSHU_BIN=path skips the release build and runs that binary instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
shared=$repo/../shared/bench

rows=10000000
work=/tmp/zhengshu-share-bench
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=${2:?--rows needs a number}; shift 2 ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "--rows must be a positive integer, got '$rows'" >&2; exit 2; }

# What the run measures.
seq_rows=200      # sequential keyed GETs, each on another credit code
seq_sql=20        # sequential POST /api/v1/share/sql of the aggregate
direct_codes=5    # codes the direct point lookup is timed on (20 runs each)
wrk_secs=20
wrk_rows_conns=8  # wrk -t2 -c8 for the keyed fetch: four callers per core, a queue
wrk_rows_conns_cores=2  # and wrk -t2 -c2: one caller per core, the machine busy without a queue
wrk_sql_conns=2   # wrk -t2 -c2 for the aggregate (each call scans the table; more only queues)
provider=龙岗区市场监督管理局
scenario_unit=龙岗区政务服务数据管理局
agg_sql="SELECT street, industry, count(*), sum(registered_capital) FROM enterprises GROUP BY 1,2"

say() { printf '[share-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }
# run_logged LOG CMD...: runs CMD with stdout+stderr in LOG; on failure shows the log's tail.
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

# The HTTP client (setup of the share, sequential latency, audit figures), keep-alive.
client=$work/share_client.py
cat >"$client" <<'PYEOF'
"""The benchmark's HTTP client (written by bench/share/run.sh): setup of the share
(catalog publish, scenario, request, approval, token), sequential latency, audit figures."""
import http.client, json, re, statistics, sys, time, urllib.parse

HOST = "127.0.0.1"


class Conn:
    """One keep-alive connection."""

    def __init__(self, port):
        self.port = port
        self.c = http.client.HTTPConnection(HOST, port, timeout=120)

    def call(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault("Content-Type", "application/json")
        for attempt in (0, 1):
            try:
                self.c.request(method, path, body=body, headers=h)
                r = self.c.getresponse()
                return r.status, r.getheaders(), r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt:
                    raise
                self.c.close()
                self.c = http.client.HTTPConnection(HOST, self.port, timeout=120)


def die(msg):
    sys.exit(f"share_client: {msg}")


def expect(st, body, want, what):
    if st not in want:
        die(f"{what}: HTTP {st}: {body[:500].decode('utf-8', 'replace')}")
    return json.loads(body) if body else None


def cookies(hdrs):
    out = {}
    for k, v in hdrs:
        if k.lower() == "set-cookie":
            n, _, rest = v.partition("=")
            out[n] = rest.split(";")[0]
    return out


def api_token(port, user, password):
    """Logs in through the console form and creates an API token (zs_…) for the user."""
    c = Conn(port)
    st, h, body = c.call("GET", "/console/login")
    csrf = cookies(h).get("zs_csrf") or die("no zs_csrf cookie on /console/login")
    form = urllib.parse.urlencode({"username": user, "password": password, "_csrf": csrf, "next": "/console"})
    st, h, body = c.call("POST", "/console/login", form,
                         {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"zs_csrf={csrf}"})
    sess = cookies(h).get("zs_session") or die(f"login of {user} failed: HTTP {st} {body[:300]!r}")
    st, h, body = c.call("GET", "/console", headers={"Cookie": f"zs_session={sess}"})
    m = re.search(rb'"X-CSRF-Token": "([^"]+)"', body) or die("no CSRF token on /console")
    st, h, body = c.call("POST", "/api/v1/tokens", {"name": "share-bench"},
                         {"Cookie": f"zs_session={sess}", "X-CSRF-Token": m.group(1).decode()})
    return expect(st, body, (201,), f"POST /api/v1/tokens as {user}")["token"]


def setup(port, admin_pw, reviewer, reviewer_pw, table, scenario_unit, out):
    admin = api_token(port, "admin", admin_pw)
    rev = api_token(port, reviewer, reviewer_pw)
    A = {"Authorization": f"Bearer {admin}"}
    R = {"Authorization": f"Bearer {rev}"}
    c = Conn(port)
    # The resource `ingest --create` registered is a draft: the admin submits it and the
    # provider's reviewer approves it (the catalog wants a reviewer other than the submitter).
    st, _, body = c.call("GET", "/api/v1/catalog/resources?limit=100", headers=A)
    res = [r for r in expect(st, body, (200,), "catalog search")["resources"] if r["name"] == "企业登记信息"]
    res or die("resource 企业登记信息 not in the catalog")
    rid = res[0]["id"]
    if res[0]["status"] in ("draft", "returned"):
        st, _, body = c.call("POST", f"/api/v1/catalog/resources/{rid}/submit", headers=A)
        expect(st, body, (200,), "catalog submit")
    st, _, body = c.call("POST", f"/api/v1/catalog/resources/{rid}/approve", {"comment": "性能测试"}, headers=R)
    r = expect(st, body, (200,), "catalog approve")
    pii = [i["name"] for i in r["items"] if i["pii_kind"] not in ("none", "")]
    st, _, body = c.call("GET", "/api/v1/units", headers=A)
    units = expect(st, body, (200,), "units")
    units = units.get("units", units) if isinstance(units, dict) else units
    uid = next((u["id"] for u in units if u["name"] == scenario_unit), None) or die(f"no unit {scenario_unit}")
    st, _, body = c.call("POST", "/api/v1/share/scenarios", {
        "name": "企业信息核验性能测试", "unit_id": uid,
        "purpose": "政务服务事项办理时核验企业登记信息（性能测试）",
        "legal_basis": "《优化营商环境条例》第三十五条", "contact_name": "测试员",
        "contact_phone": "13800138000", "systems": "bench client"}, headers=A)
    sc = expect(st, body, (201,), "register scenario")
    st, _, body = c.call("POST", f"/api/v1/share/scenarios/{sc['id']}/requests", {
        "resource": table, "columns": [], "raw_columns": [], "row_filter": [],
        "purpose": "核验企业登记信息"}, headers=A)
    req = expect(st, body, (201,), "request access")
    if req["status"] == "pending":
        st, _, body = c.call("POST", f"/api/v1/share/requests/{req['id']}/decision", {"action": "approve"}, headers=A)
        req = expect(st, body, (200,), "approve request")
    req["status"] == "approved" or die(f"request is {req['status']}, not approved")
    st, _, body = c.call("POST", f"/api/v1/share/scenarios/{sc['id']}/tokens",
                         {"name": "bench", "rate_per_minute": 100000}, headers=A)
    tok = expect(st, body, (201,), "scenario token")
    json.dump({"admin_token": admin, "secret": tok["secret"], "scenario_id": sc["id"],
               "resource_id": rid, "request_id": req["id"], "pii_items": pii},
              open(out, "w"), indent=1)


def pct(v, p):
    """The p-th percentile (nearest rank) of the values."""
    s = sorted(v)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def head_seq(c, admin):
    st, _, body = c.call("GET", "/api/v1/share/audit?limit=1", headers={"Authorization": f"Bearer {admin}"})
    recs = expect(st, body, (200,), "audit recent")
    return recs[0]["seq"] if recs else 0


def sequential(port, cfg, table, codes_file, n_rows, agg_sql, n_sql):
    cfg = json.load(open(cfg))
    codes = [l.strip() for l in open(codes_file) if l.strip()]
    S = {"Authorization": f"Bearer {cfg['secret']}", "X-User-Id": "bench"}
    c = Conn(port)
    out = {}
    # The HTTP floor: GET /healthz on the same keep-alive connection.
    ms = []
    for i in range(220):
        t = time.perf_counter()
        st, _, body = c.call("GET", "/healthz")
        ms.append((time.perf_counter() - t) * 1000)
        st == 200 or die(f"/healthz: HTTP {st}")
    out["http_floor_ms"] = statistics.median(ms[20:])
    # Keyed REST fetches: warm up on 10 codes, then n_rows fetches over n_rows codes.
    def fetch(code):
        t = time.perf_counter()
        st, _, body = c.call("GET", f"/api/v1/share/{table}/rows?credit_code=eq.{code}", headers=S)
        el = (time.perf_counter() - t) * 1000
        d = expect(st, body, (200,), f"rows of {code}")
        return el, d
    for code in codes[-10:]:
        fetch(code)
    mark = head_seq(c, cfg["admin_token"])
    ms, found, masked = [], 0, 0
    for code in codes[:n_rows]:
        el, d = fetch(code)
        ms.append(el)
        rows = d["rows"]
        found += len(rows) >= 1 and all(r["credit_code"] == code for r in rows)
        masked += all("*" in (r.get(p) or "*") for r in rows for p in cfg["pii_items"])
    found == len(ms) or die(f"only {found} of {len(ms)} keyed fetches found their row")
    masked == len(ms) or die(f"only {masked} of {len(ms)} answers had every PII item masked")
    out.update(share_rows_ms=statistics.median(ms), share_rows_p99_ms=pct(ms, 99),
               share_rows_max_ms=max(ms), share_rows_n=len(ms), share_rows_found=found)
    # The server's own time per call (audit duration_us: from after auth to before the
    # audit append): grants/view resolution, planning, execution, encoding.
    st, _, body = c.call("GET", f"/api/v1/share/audit?limit=1000&scenario_id={cfg['scenario_id']}",
                         headers={"Authorization": f"Bearer {cfg['admin_token']}"})
    recs = [r for r in expect(st, body, (200,), "audit") if r["seq"] > mark and r["kind"] == "share.rows"]
    if recs:
        us = [r["duration_us"] / 1000 for r in recs if r["duration_us"] is not None]
        out["share_rows_handler_ms"] = statistics.median(us)
        out["share_rows_audited"] = len(recs)
    # The aggregate through POST /api/v1/share/sql: 2 warm-up calls, then n_sql.
    ms = []
    mark = head_seq(c, cfg["admin_token"])
    for i in range(n_sql + 2):
        t = time.perf_counter()
        st, _, body = c.call("POST", "/api/v1/share/sql", {"sql": agg_sql}, headers=S)
        el = (time.perf_counter() - t) * 1000
        d = expect(st, body, (200,), "share sql")
        if i >= 2:
            ms.append(el)
    out.update(share_agg_ms=statistics.median(ms), share_agg_p99_ms=pct(ms, 99),
               share_agg_n=len(ms), share_agg_rows=d["count"] if "count" in d else len(d["rows"]))
    st, _, body = c.call("GET", f"/api/v1/share/audit?limit=1000&scenario_id={cfg['scenario_id']}",
                         headers={"Authorization": f"Bearer {cfg['admin_token']}"})
    recs = [r for r in expect(st, body, (200,), "audit") if r["seq"] > mark and r["kind"] == "share.sql"]
    us = [r["duration_us"] / 1000 for r in recs[:n_sql] if r["duration_us"] is not None]
    if us:
        out["share_agg_handler_ms"] = statistics.median(us)
    for k, v in out.items():
        print(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}")


def audit_head(port, cfg):
    cfg = json.load(open(cfg))
    print(head_seq(Conn(port), cfg["admin_token"]))


def verify(port, cfg):
    cfg = json.load(open(cfg))
    t = time.perf_counter()
    st, _, body = Conn(port).call("GET", "/api/v1/share/audit/verify",
                                  headers={"Authorization": f"Bearer {cfg['admin_token']}"})
    el = time.perf_counter() - t
    rep = expect(st, body, (200,), "audit verify")
    print(f"audit_records={rep['records']}")
    print(f"audit_head_seq={rep['head_seq']}")
    print(f"audit_anchored_seq={rep.get('anchored_seq')}")
    print(f"audit_intact={'yes' if rep.get('problem') is None else 'NO: ' + json.dumps(rep['problem'], ensure_ascii=False)}")
    print(f"audit_verify_s={el:.2f}")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "setup":
        setup(int(args[0]), args[1], args[2], args[3], args[4], args[5], args[6])
    elif cmd == "sequential":
        sequential(int(args[0]), args[1], args[2], args[3], int(args[4]), args[5], int(args[6]))
    elif cmd == "audit-head":
        audit_head(int(args[0]), args[1])
    elif cmd == "verify":
        verify(int(args[0]), args[1])
    else:
        die(f"unknown command {cmd}")
PYEOF

# --- the input: bench/lake's CSV when it is there, else generated once per row count -------
csv=/tmp/zhengshu-lake-bench/enterprises-$rows.csv
if [ -f "$csv" ] && [ "$(wc -l <"$csv")" -eq $((rows + 1)) ]; then
  say "reusing bench/lake's $csv"
else
  csv=$work/enterprises-$rows.csv
  if [ -f "$csv" ] && [ "$(wc -l <"$csv")" -eq $((rows + 1)) ]; then
    say "reusing $csv"
  else
    [ -f "$shared/gen_enterprises.py" ] ||
      die "$shared/gen_enterprises.py not found: the shared folder must sit beside the repo (../shared)"
    if ! python3 -c 'import duckdb' 2>/dev/null; then
      say "installing duckdb with pip (the generator uses it)"
      python3 -m pip install --quiet duckdb
    fi
    say "generating $rows rows into $csv"
    rm -f "$csv"
    python3 "$repo/bench/gen_big.py" "$rows" "$work/enterprises-$rows.partial.csv" >/dev/null  # the shared generator, chunk by chunk
    mv "$work/enterprises-$rows.partial.csv" "$csv"
  fi
fi
record csv_bytes "$(stat -c %s "$csv")"

# --- the lake table ---------------------------------------------------------------------------
data=$work/zhengshu-data
rm -rf "$data"
mkdir -p "$data"
zs() { "$bin" --data-dir "$data" --log warn "$@"; }
printf '单位名称,层级\n%s,区级\n%s,区级\n' "$provider" "$scenario_unit" >"$work/units.csv"
run_logged "$work/unit-import.log" zs unit import "$work/units.csv"
reviewer_pw=Bench-Review-$RANDOM$RANDOM
admin_pw=Bench-Admin-$RANDOM$RANDOM
# The catalog wants a resource's reviewer to be another person than its submitter (admin).
run_logged "$work/user-add.log" zs user add --username bench-reviewer --role reviewer \
  --unit "$provider" --password "$reviewer_pw"
say "ingest --create (no rules file: the rows ingest accepts make the table)"
t0=$(date +%s%N)
zs ingest --create --unit "$provider" --name 企业登记信息 --table enterprises --key credit_code \
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

# Up to 1000 credit codes of rows in the table, drawn at random so that the fetches spread
# over the table's files and row groups; one per line.
codes=$work/codes.txt
zs sql --format csv --max-rows 1000 \
  "SELECT credit_code FROM (SELECT DISTINCT credit_code FROM enterprises) ORDER BY random() LIMIT 1000" |
  grep -E '^[0-9A-Z]{18}$' >"$codes" || true
[ "$(wc -l <"$codes")" -ge "$seq_rows" ] || die "could not draw credit codes from the table (got $(wc -l <"$codes"))"
record codes "$(wc -l <"$codes")"

# --- direct: the same queries in DataFusion through `zhengshu sql` -----------------------------
# zsql_runs NAME SQL: 20 runs in one process; prints the times of runs 2..20 (the first run
# also opens the table), one per line.
zsql_runs() {
  zs sql --timing --repeat 20 --format csv "$2" >"$work/sql-$1.csv" 2>"$work/sql-$1.err" ||
    { tail -n 20 "$work/sql-$1.err" >&2; die "zhengshu sql failed for $1: $2"; }
  local n
  n=$(grep -c '^time_ms=' "$work/sql-$1.err" || true)
  [ "$n" -eq 20 ] || die "expected 20 time_ms= lines in $work/sql-$1.err, found $n"
  grep '^time_ms=' "$work/sql-$1.err" | tail -n 19 | cut -d= -f2
}
# stats KEY: median and p99 (nearest rank) of the numbers on stdin, recorded as KEY_ms,
# KEY_p99_ms and KEY_n.
stats() {
  python3 -c '
import statistics, sys
v = sorted(float(x) for x in sys.stdin if x.strip())
p99 = v[min(len(v) - 1, max(0, -(-99 * len(v) // 100) - 1))]
print(f"{sys.argv[1]}_ms={statistics.median(v):.3f}\n{sys.argv[1]}_p99_ms={p99:.3f}\n{sys.argv[1]}_n={len(v)}")' "$1" >>"$results"
}
say "direct: keyed lookup on $direct_codes codes, enterprises and masked.enterprises, 20 runs each"
: >"$work/direct-point.txt"
: >"$work/direct-point-masked.txt"
for code in $(head -n "$direct_codes" "$codes"); do
  out=$(zsql_runs "point-$code" "SELECT * FROM enterprises WHERE credit_code = '$code'")
  echo "$out" >>"$work/direct-point.txt"
  out=$(zsql_runs "point-masked-$code" "SELECT * FROM masked.enterprises WHERE credit_code = '$code'")
  echo "$out" >>"$work/direct-point-masked.txt"
done
stats direct_point <"$work/direct-point.txt"
stats direct_point_masked <"$work/direct-point-masked.txt"
say "direct: the aggregate on enterprises and masked.enterprises, 20 runs each"
out=$(zsql_runs agg "$agg_sql")
stats direct_agg <<<"$out"
out=$(zsql_runs agg-masked "${agg_sql/FROM enterprises/FROM masked.enterprises}")
stats direct_agg_masked <<<"$out"

# --- the server -------------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "zhengshu serve on 127.0.0.1:$port (default log level, as shipped: $work/serve.log)"
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

say "share setup: publish the resource, register a scenario, request, approve, issue a token"
cfg=$work/share.json
python3 "$client" setup "$port" "$admin_pw" bench-reviewer "$reviewer_pw" enterprises "$scenario_unit" "$cfg" ||
  die "share setup failed (server log: $work/serve.log)"
secret=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["secret"])' "$cfg")

say "share API, one keep-alive client: $seq_rows keyed GETs, $seq_sql aggregate POSTs"
python3 "$client" sequential "$port" "$cfg" enterprises "$codes" "$seq_rows" "$agg_sql" "$seq_sql" >>"$results" ||
  die "sequential share calls failed (server log: $work/serve.log)"

# --- load: wrk --------------------------------------------------------------------------------
cat >"$work/rows.lua" <<LUA
-- Keyed fetches rotating over the drawn codes; each thread starts elsewhere in the list.
local codes = {}
for line in io.lines("$codes") do codes[#codes + 1] = line end
local n = 0
function setup(thread)
  n = n + 1
  thread:set("offset", n * 397)
end
local i = 0
wrk.headers["Authorization"] = "Bearer $secret"
wrk.headers["X-User-Id"] = "wrk"
function request()
  i = i + 1
  local code = codes[((offset or 0) + i) % #codes + 1]
  return wrk.format("GET", "/api/v1/share/enterprises/rows?credit_code=eq." .. code)
end
LUA
python3 - "$work/sql.lua" "$secret" "$agg_sql" <<'EOF'
import json, sys
body = json.dumps({"sql": sys.argv[3]})
open(sys.argv[1], "w").write(f"""wrk.method = "POST"
wrk.body = {json.dumps(body)}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {sys.argv[2]}"
wrk.headers["X-User-Id"] = "wrk"
""")
EOF
# cpu_ticks: the server's user + system CPU time so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)
# load NAME CONNS LUA PATH: wrk for $wrk_secs s; records requests/s, percentiles, errors, the
# server's CPU per request and the audit records written per second.
load() {
  local name=$1 conns=$2 lua=$3 path=$4 seq0 seq1 cpu0 cpu1 t0 t1
  say "wrk -t2 -c$conns -d${wrk_secs}s --latency: $name"
  seq0=$(python3 "$client" audit-head "$port" "$cfg")
  cpu0=$(cpu_ticks)
  t0=$(date +%s%N)
  wrk -t2 -c"$conns" -d"${wrk_secs}s" --latency -s "$lua" "http://127.0.0.1:$port$path" >"$work/wrk-$name.txt" 2>&1 ||
    { cat "$work/wrk-$name.txt" >&2; die "wrk failed for $name"; }
  t1=$(date +%s%N)
  cpu1=$(cpu_ticks)
  seq1=$(python3 "$client" audit-head "$port" "$cfg")
  python3 - "$work/wrk-$name.txt" "$name" $((seq1 - seq0)) $((cpu1 - cpu0)) "$hz" $((t1 - t0)) >>"$results" <<'EOF'
import re, sys
text, name = open(sys.argv[1]).read(), sys.argv[2]
audited, ticks, hz, ns = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
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
print(f"wrk_{name}_audit_records={audited}")
print(f"wrk_{name}_audit_per_s={audited / (ns / 1e9):.1f}")
EOF
}
log0=$(stat -c %s "$work/serve.log")
load rows2 "$wrk_rows_conns_cores" "$work/rows.lua" /api/v1/share/enterprises/rows
load rows "$wrk_rows_conns" "$work/rows.lua" /api/v1/share/enterprises/rows
load agg "$wrk_sql_conns" "$work/sql.lua" /api/v1/share/sql
record serve_log_bytes "$(($(stat -c %s "$work/serve.log") - log0))"

say "audit: GET /api/v1/share/audit/verify"
python3 "$client" verify "$port" "$cfg" >>"$results" || die "audit verify failed"
record server_rss_mib "$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")"
stop_server
trap - EXIT

# --- the report -------------------------------------------------------------------------------
python3 - "$results" "$rows" "$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)" \
  "$wrk_secs" "$wrk_rows_conns" "$wrk_sql_conns" "$(nproc)" <<'EOF'
import sys
r = {}
for line in open(sys.argv[1], encoding="utf-8"):
    k, _, v = line.rstrip("\n").partition("=")
    r[k] = v
rows, commit, secs, c_rows, c_sql, cores = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]

def num(k):
    try:
        return float(r.get(k, ""))
    except ValueError:
        return None

def fmt(v):
    return "" if v is None else f"{v:,.2f}"

print()
print(f"share benchmark: {rows:,} rows ({num('rows_written'):,.0f} in the table), {num('csv_bytes') / 1e9:.2f} GB CSV; "
      f"zhengshu {commit}; {cores} cores shared by the server, wrk and the client")
print(f"direct = `zhengshu sql` (DataFusion, staff session), runs 2..20 of 20 in one process "
      f"(keyed: {r.get('direct_point_n')} runs over 5 codes); share = one keep-alive HTTP client, "
      f"{r.get('share_rows_n')} keyed GETs over as many codes, {r.get('share_agg_n')} aggregate POSTs; "
      f"load = wrk -t2 -d{secs}s, -c2 and -c{c_rows} keyed, -c{c_sql} aggregate")
print()
head = f"{'measure':<44}{'direct':>10}{'share':>10}{'ratio':>8}   {'target':<14}"
print(head)
print("-" * len(head))

def line(label, d, s, target="", test=None):
    dv, sv = (num(d) if d else None), num(s)
    q = sv / dv if dv and sv is not None else None
    ok = test(sv, q) if test is not None and sv is not None else None
    v = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"{label:<44}{fmt(dv):>10}{fmt(sv):>10}{fmt(q):>8}   {target:<14}{v}")

ratio_le = lambda lim: (lambda s, q: q is not None and q <= lim)
ms_le = lambda lim: (lambda s, q: s <= lim)
line("keyed fetch, median ms (vs direct raw)", "direct_point_ms", "share_rows_ms", "ratio ≤ 1.10", ratio_le(1.10))
line("keyed fetch, median ms (vs direct masked)", "direct_point_masked_ms", "share_rows_ms")
line("keyed fetch, p99 ms, one client", "direct_point_p99_ms", "share_rows_p99_ms", "≤ 25 ms", ms_le(25))
line("keyed fetch, p99 ms, wrk -c2 (one per core)", None, "wrk_rows2_p99_ms", "≤ 25 ms", ms_le(25))
line("keyed fetch, requests/s, wrk -c2", None, "wrk_rows2_rps")
line(f"keyed fetch, p99 ms, wrk -c{c_rows} (a queue)", None, "wrk_rows_p99_ms")
line(f"keyed fetch, requests/s, wrk -c{c_rows}", None, "wrk_rows_rps")
line("aggregate, median ms (vs direct raw)", "direct_agg_ms", "share_agg_ms", "ratio ≤ 1.10", ratio_le(1.10))
line("aggregate, median ms (vs direct masked)", "direct_agg_masked_ms", "share_agg_ms")
line("aggregate, p99 ms, one client", "direct_agg_p99_ms", "share_agg_p99_ms")
line(f"aggregate, p99 ms, wrk -c{c_sql}", None, "wrk_agg_p99_ms")
line(f"aggregate, requests/s, wrk -c{c_sql}", None, "wrk_agg_rps")
print()
print("where the share time goes (medians, one client):")
for name, handler, total in (("keyed fetch", "share_rows_handler_ms", "share_rows_ms"),
                             ("aggregate", "share_agg_handler_ms", "share_agg_ms")):
    h, t, f = num(handler), num(total), num("http_floor_ms")
    if h is None or t is None:
        continue
    print(f"  {name}: {t:.2f} ms at the client = {h:.2f} ms in the handler (the audit record's duration_us: "
          f"grants and view, plan, scan, encode) + {t - h:.2f} ms outside it (token lookup, rate limit, "
          f"audit append, HTTP); a GET /healthz round trip takes {f:.2f} ms")
for name in ("rows2", "rows", "agg"):
    print(f"  wrk {name}: p50 {r.get(f'wrk_{name}_p50_ms')} ms, p90 {r.get(f'wrk_{name}_p90_ms')} ms, "
          f"server CPU {r.get(f'wrk_{name}_server_cpu_ms_per_req')} ms per request, "
          f"{r.get(f'wrk_{name}_requests')} requests, non-2xx {r.get(f'wrk_{name}_non2xx')}, "
          f"socket errors {r.get(f'wrk_{name}_socket_errors')}")
print()
print(f"audit: {r.get('audit_records')} records, chain intact: {r.get('audit_intact')} "
      f"(head #{r.get('audit_head_seq')}, anchored #{r.get('audit_anchored_seq')}, verify took {r.get('audit_verify_s')} s); "
      f"written under load: {r.get('wrk_rows_audit_per_s')} records/s (keyed), {r.get('wrk_agg_audit_per_s')} records/s (aggregate)")
print(f"server: peak RSS {r.get('server_rss_mib')} MiB; {num('serve_log_bytes') / 1024:,.0f} KiB of log under load "
      f"at the default level")
print(f"table: ingest --create {fmt(num('ingest_s'))} s ({r.get('rows_quarantined')} rows quarantined), "
      f"optimize --zorder credit_code {fmt(num('optimize_s'))} s; keyed fetches that found their row: "
      f"{r.get('share_rows_found')} of {r.get('share_rows_n')}, each with every PII item masked")
EOF

if [ "$keep" -eq 1 ]; then
  say "kept $work (data dir $data, $results, wrk output, server log)"
else
  rm -rf "$data"
  say "removed the data dir; kept the CSV and $results (--keep keeps all)"
fi
