#!/usr/bin/env python3
"""The open-data benchmark's client (used by bench/open/run.sh; standard library + duckdb).

Commands:
  setup PORT ADMIN_PW REVIEWER REVIEWER_PW NAME OUT.json
      Publishes the catalog resource NAME (the draft `ingest --create` made) as 无条件开放
      through the catalog API with API tokens (PUT the entry with open_type 无条件开放,
      submit as admin, approve as the reviewer), then checks that the CKAN API lists it with
      data (package_show, datastore_active). Writes {code, resource_id} to OUT.json.
  active-files TABLE_DIR OUT.json
      The Parquet files of the Delta table's current version (replaying _delta_log: the last
      checkpoint, then the JSON commits after it), with the row count from their stats.
  duck FILES.json CODES_FILE STREET RUNS OUT.json
      The peer: DuckDB (2 threads) over the same Parquet files, for each case the count plus
      the first page (the same work as datastore_search with include_total): RUNS runs, the
      first dropped. Also the expected answers (count per credit code, the street's count).
  sequential PORT CODE CODES_FILE STREET EXPECT.json N_KEY N_SCAN
      One keep-alive client: GET /api/3/action/datastore_search for each case, each answer
      checked against DuckDB's count; prints key=value lines (ms).
  wrk-lua CODE CODES_FILE OUT.lua
      A wrk script rotating the key filter over the codes.
"""
import glob
import http.client
import json
import os
import re
import statistics
import sys
import time
import urllib.parse

HOST = "127.0.0.1"


def die(msg):
    sys.exit(f"bench/open/load.py: {msg}")


class Conn:
    """One keep-alive HTTP connection."""

    def __init__(self, port):
        self.port = port
        self.c = http.client.HTTPConnection(HOST, port, timeout=300)

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
                self.c = http.client.HTTPConnection(HOST, self.port, timeout=300)


def expect(st, body, want, what):
    if st not in want:
        die(f"{what}: HTTP {st}: {body[:800].decode('utf-8', 'replace')}")
    return json.loads(body) if body else None


def cookies(hdrs):
    out = {}
    for k, v in hdrs:
        if k.lower() == "set-cookie":
            n, _, rest = v.partition("=")
            out[n] = rest.split(";")[0]
    return out


def api_token(port, user, password):
    """Logs in through the console form and creates an API token (zs_…)."""
    c = Conn(port)
    st, h, body = c.call("GET", "/console/login")
    csrf = cookies(h).get("zs_csrf") or die("no zs_csrf cookie on /console/login")
    form = urllib.parse.urlencode({"username": user, "password": password, "_csrf": csrf, "next": "/console"})
    st, h, body = c.call("POST", "/console/login", form,
                         {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"zs_csrf={csrf}"})
    sess = cookies(h).get("zs_session") or die(f"login of {user} failed: HTTP {st} {body[:300]!r}")
    st, h, body = c.call("GET", "/console", headers={"Cookie": f"zs_session={sess}"})
    m = re.search(rb'"X-CSRF-Token": "([^"]+)"', body) or die("no CSRF token on /console")
    st, h, body = c.call("POST", "/api/v1/tokens", {"name": "open-bench"},
                         {"Cookie": f"zs_session={sess}", "X-CSRF-Token": m.group(1).decode()})
    return expect(st, body, (201,), f"POST /api/v1/tokens as {user}")["token"]


# The fields of the catalog's NewResource (what PUT /api/v1/catalog/resources/{id} takes).
NEW_RESOURCE_FIELDS = (
    "code", "name", "summary", "catalog_type", "classification", "theme", "provider_unit_id", "format",
    "sharing_type", "sharing_conditions", "sharing_basis", "share_method", "open_type", "open_conditions",
    "open_basis", "update_cycle", "security_grade", "publish_date", "related_codes", "keywords", "items",
)
ITEM_FIELDS = ("name", "label", "data_type", "length", "description", "pii_kind")


def vocab(v):
    """A vocabulary value as the entry form takes it (text; an object's code if serialised so)."""
    if isinstance(v, dict):
        for k in ("code", "value", "as_str", "zh", "label_zh"):
            if k in v:
                return v[k]
    return v


def setup(port, admin_pw, reviewer, reviewer_pw, name, out):
    admin = api_token(port, "admin", admin_pw)
    rev = api_token(port, reviewer, reviewer_pw)
    A = {"Authorization": f"Bearer {admin}"}
    R = {"Authorization": f"Bearer {rev}"}
    c = Conn(port)
    st, _, body = c.call("GET", "/api/v1/catalog/resources?limit=100", headers=A)
    found = [r for r in expect(st, body, (200,), "catalog search")["resources"] if r["name"] == name]
    found or die(f"resource {name} not in the catalog")
    rid = found[0]["id"]
    st, _, body = c.call("GET", f"/api/v1/catalog/resources/{rid}", headers=A)
    r = expect(st, body, (200,), "catalog show")
    if r["status"] == "published" and vocab(r.get("open_type")) in ("无条件开放", "unconditional"):
        # A --reuse run: published by the run that built the data dir.
        code = r["code"]
        json.dump({"code": code, "resource_id": rid, "admin_token": admin}, open(out, "w"), indent=1)
        print(code)
        return
    if r["status"] not in ("draft", "returned"):
        die(f"resource {rid} is {r['status']}; the benchmark needs the draft that ingest --create made")
    new = {k: vocab(r[k]) for k in NEW_RESOURCE_FIELDS if k in r}
    new["items"] = [{k: vocab(i.get(k)) for k in ITEM_FIELDS if k in i} for i in r["items"]]
    new["open_type"] = "无条件开放"
    new["open_conditions"] = ""
    new["open_basis"] = "性能测试：企业登记公示信息（个人信息脱敏）"
    if not new.get("theme"):
        new["theme"] = "市场监管"
    st, _, body = c.call("PUT", f"/api/v1/catalog/resources/{rid}", new, headers=A)
    r = expect(st, body, (200,), "PUT the resource with open_type 无条件开放")
    st, _, body = c.call("POST", f"/api/v1/catalog/resources/{rid}/submit", headers=A)
    expect(st, body, (200,), "catalog submit")
    st, _, body = c.call("POST", f"/api/v1/catalog/resources/{rid}/approve", {"comment": "性能测试"}, headers=R)
    r = expect(st, body, (200,), "catalog approve")
    code = r["code"]
    st, _, body = c.call("GET", f"/api/3/action/package_show?id={urllib.parse.quote(code)}")
    p = expect(st, body, (200,), f"package_show {code}")["result"]
    (p["resources"] and p["resources"][0].get("datastore_active")) or die(f"package {code} has no datastore_active resource: {p}")
    json.dump({"code": code, "resource_id": rid, "admin_token": admin}, open(out, "w"), indent=1)
    print(code)


def read_log(table_dir):
    """The current add actions of a Delta table: {path: numRecords}."""
    log = os.path.join(table_dir, "_delta_log")
    files = {}
    start = -1
    last = os.path.join(log, "_last_checkpoint")
    if os.path.exists(last):
        cp = json.load(open(last))
        start = int(cp["version"])
        import duckdb

        parts = sorted(glob.glob(os.path.join(log, f"{start:020d}.checkpoint*.parquet")))
        parts or die(f"checkpoint {start} named in _last_checkpoint is missing")
        con = duckdb.connect()
        for (path, stats) in con.execute(
                f"SELECT \"add\".path, \"add\".stats FROM read_parquet({parts!r}) WHERE \"add\" IS NOT NULL").fetchall():
            files[urllib.parse.unquote(path)] = json.loads(stats)["numRecords"] if stats else None
    for f in sorted(glob.glob(os.path.join(log, "*.json"))):
        v = int(os.path.basename(f).split(".")[0])
        if v <= start:
            continue
        for line in open(f, encoding="utf-8"):
            a = json.loads(line)
            if "add" in a:
                st = a["add"].get("stats")
                files[urllib.parse.unquote(a["add"]["path"])] = json.loads(st)["numRecords"] if st else None
            elif "remove" in a:
                files.pop(urllib.parse.unquote(a["remove"]["path"]), None)
    return files


def active_files(table_dir, out):
    files = read_log(table_dir)
    files or die(f"no active files in {table_dir}")
    paths = [os.path.join(table_dir, p) for p in sorted(files)]
    for p in paths:
        os.path.exists(p) or die(f"{p} (in the log) is missing")
    rows = sum(n for n in files.values() if n is not None)
    json.dump({"files": paths, "rows": rows}, open(out, "w"), indent=1)
    print(f"files={len(paths)} rows={rows}")


def pct(v, p):
    """The p-th percentile (nearest rank)."""
    s = sorted(v)
    return s[min(len(s) - 1, max(0, -(-p * len(s) // 100) - 1))]


def duck(files_json, codes_file, street, runs, out):
    import duckdb

    spec = json.load(open(files_json))
    con = duckdb.connect()
    con.execute("SET threads=2")
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet({spec['files']!r})")
    codes = [l.strip() for l in open(codes_file) if l.strip()]
    res = {"duck_version": duckdb.__version__, "files": len(spec["files"])}
    # Expected answers.
    res["rows"] = con.execute("SELECT count(*) FROM t").fetchone()[0]
    res["street_count"] = con.execute("SELECT count(*) FROM t WHERE street = ?", [street]).fetchone()[0]
    in_list = ",".join("'" + c.replace("'", "''") + "'" for c in codes)
    per_code = dict(con.execute(f"SELECT credit_code, count(*) FROM t WHERE credit_code IN ({in_list}) GROUP BY 1").fetchall())
    res["code_counts"] = {c: per_code.get(c, 0) for c in codes}
    cases = {
        "key": lambda i: (f"SELECT count(*) FROM t WHERE credit_code = '{codes[i % len(codes)]}'",
                          f"SELECT * FROM t WHERE credit_code = '{codes[i % len(codes)]}' LIMIT 100"),
        "street": lambda i: (f"SELECT count(*) FROM t WHERE street = '{street}'",
                             f"SELECT * FROM t WHERE street = '{street}' LIMIT 100"),
        "all": lambda i: ("SELECT count(*) FROM t", "SELECT * FROM t LIMIT 100"),
    }
    for name, q in cases.items():
        ms = []
        for i in range(runs + 1):
            a, b = q(i)
            t0 = time.perf_counter()
            con.execute(a).fetchall()
            con.execute(b).fetchall()
            if i:
                ms.append((time.perf_counter() - t0) * 1000)
        res[f"duck_{name}_ms"] = statistics.median(ms)
        res[f"duck_{name}_p99_ms"] = pct(ms, 99)
    json.dump(res, open(out, "w"), ensure_ascii=False, indent=1)
    for k, v in res.items():
        if k != "code_counts":
            print(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}")


def ds_path(code, filters=None, limit=100, include_total=True):
    q = {"resource_id": code, "limit": str(limit), "include_total": "true" if include_total else "false"}
    if filters is not None:
        q["filters"] = json.dumps(filters, ensure_ascii=False, separators=(",", ":"))
    return "/api/3/action/datastore_search?" + urllib.parse.urlencode(q, quote_via=urllib.parse.quote)


def sequential(port, code, codes_file, street, expect_json, n_key, n_scan):
    exp = json.load(open(expect_json))
    codes = [l.strip() for l in open(codes_file) if l.strip()]
    c = Conn(port)
    out = {}

    def call(path, what):
        t0 = time.perf_counter()
        st, _, body = c.call("GET", path)
        el = (time.perf_counter() - t0) * 1000
        d = expect(st, body, (200,), what)
        d.get("success") or die(f"{what}: {body[:300]!r}")
        return el, d["result"]

    ms = []
    for i in range(220):
        t0 = time.perf_counter()
        st, _, _ = c.call("GET", "/healthz")
        ms.append((time.perf_counter() - t0) * 1000)
    out["http_floor_ms"] = statistics.median(ms[20:])
    # (a) key filter: each call another code; total = DuckDB's count for it; every record has it.
    for code_ in codes[-5:]:
        call(ds_path(code, {"credit_code": code_}), "warm-up")
    ms, right = [], 0
    for code_ in codes[:n_key]:
        el, r = call(ds_path(code, {"credit_code": code_}), f"key filter {code_}")
        ms.append(el)
        want = exp["code_counts"][code_]
        right += r.get("total") == want and len(r["records"]) == want and all(x["credit_code"] == code_ for x in r["records"])
    right == len(ms) or die(f"key filter: only {right} of {len(ms)} answers had DuckDB's count and rows")
    out.update(key_ms=statistics.median(ms), key_p99_ms=pct(ms, 99), key_n=len(ms), key_right=right)
    # (b) street filter, limit 100: exact total over all rows.
    path = ds_path(code, {"street": street})
    call(path, "warm-up")
    ms = []
    for _ in range(n_scan):
        el, r = call(path, f"street filter {street}")
        ms.append(el)
        r.get("total") == exp["street_count"] or die(f"street total {r.get('total')} != DuckDB's {exp['street_count']}")
        len(r["records"]) == 100 and all(x["street"] == street for x in r["records"]) or die("street page: not 100 rows of the street")
    out.update(street_ms=statistics.median(ms), street_p99_ms=pct(ms, 99), street_n=len(ms), street_total=exp["street_count"])
    # (c) no filter: the total of every row.
    path = ds_path(code)
    call(path, "warm-up")
    ms = []
    for _ in range(n_scan):
        el, r = call(path, "no filter")
        ms.append(el)
        r.get("total") == exp["rows"] or die(f"unfiltered total {r.get('total')} != the table's {exp['rows']} rows")
        len(r["records"]) == 100 or die("unfiltered page: not 100 rows")
    out.update(all_ms=statistics.median(ms), all_p99_ms=pct(ms, 99), all_n=len(ms), all_total=exp["rows"])
    # include_total=false for the street filter: what the count costs.
    path = ds_path(code, {"street": street}, include_total=False)
    ms = []
    for _ in range(n_scan):
        el, r = call(path, "street filter without total")
        ms.append(el)
    out.update(street_nototal_ms=statistics.median(ms))
    for k, v in out.items():
        print(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}")


def wrk_lua(code, codes_file, out):
    codes = [l.strip() for l in open(codes_file) if l.strip()]
    paths = [ds_path(code, {"credit_code": c_}) for c_ in codes]
    with open(out, "w") as f:
        f.write("-- datastore_search with a credit_code filter, rotating over the codes\n")
        f.write("local paths = {\n")
        for p in paths:
            f.write(f"  {json.dumps(p)},\n")
        f.write("}\n")
        f.write("""local n = 0
function setup(thread)
  n = n + 1
  thread:set("offset", n * 397)
end
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[((offset or 0) + i) % #paths + 1])
end
""")


if __name__ == "__main__":
    cmd, a = sys.argv[1], sys.argv[2:]
    if cmd == "setup":
        setup(int(a[0]), a[1], a[2], a[3], a[4], a[5])
    elif cmd == "active-files":
        active_files(a[0], a[1])
    elif cmd == "duck":
        duck(a[0], a[1], a[2], int(a[3]), a[4])
    elif cmd == "sequential":
        sequential(int(a[0]), a[1], a[2], a[3], a[4], int(a[5]), int(a[6]))
    elif cmd == "wrk-lua":
        wrk_lua(a[0], a[1], a[2])
    elif cmd == "path":
        print(ds_path(a[0], json.loads(a[1]) if len(a) > 1 and a[1] else None))
    else:
        die(f"unknown command {cmd}")
