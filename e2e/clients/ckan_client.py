#!/usr/bin/env python3
"""A real CKAN client (Python's `ckanapi`, unchanged) against a running zhengshu: the
portal's CKAN Action API answers it as CKAN would, and what it answers is the data.

Checks, each against the data rather than against fixed figures:
- status_show; package_list = package_search's count; package_search with a Chinese `q`,
  with `fq` built from `facet.field` results (the fq count equals the facet count, every
  result carries the value), facets summing to the total; package_show of each dataset found
  by search; organization_list (+ all_fields: package_count = the organization facet),
  group_list, tag_list holding what the packages carry;
- datastore_search on a dataset with data: every row (limit 32000) equals the CSV download
  (UTF-8 with BOM) row for row; `filters` totals equal the count over all rows; paging with
  limit/offset gives disjoint pages that cover the filtered total; `include_total=False`;
  `fields`; `sort`; datastore_search_sql counts equal the rows';
- error mapping as ckanapi raises it: NotFound (unknown dataset, unknown resource),
  ValidationError (rows=5000, limit=50000, malformed and unknown-column filters, a writing
  SQL), NotAuthorized / no data for a conditionally opened dataset without a key; never a
  500;
- frictionless reads the CSV resource URL (row count = datastore total); frictionless's CKAN
  adapter, when its mapper package is installed (else the reason is printed).
- With --key KEY --conditional CODE: the app key unlocks datastore_search on CODE, and the
  same call without it is refused.

Usage: ckan_client.py BASE_URL [--key APP_KEY --conditional CODE]
Prints one line per check; exits 1 with every failed check listed.
"""
import csv
import io
import json
import re
import sys
import traceback

try:
    import ckanapi
    from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError
except ImportError:
    sys.exit("ckan_client.py: the Python package ckanapi is missing: run `pip install ckanapi`")
import requests

args = sys.argv[1:]
if not args or args[0].startswith("-"):
    sys.exit(__doc__)
BASE = args[0].rstrip("/")
KEY = None
CONDITIONAL = None
i = 1
while i < len(args):
    if args[i] == "--key":
        KEY = args[i + 1]
        i += 2
    elif args[i] == "--conditional":
        CONDITIONAL = args[i + 1]
        i += 2
    else:
        sys.exit(f"unknown argument {args[i]}")

ck = RemoteCKAN(BASE, user_agent="zhengshu-e2e ckan_client.py")
failures = []
passed = 0


def ok(cond, what, detail=""):
    """Records one check."""
    global passed
    if cond:
        passed += 1
        print(f"ok: {what}")
    else:
        failures.append(f"{what}{': ' + str(detail) if detail != '' else ''}")
        print(f"FAILED: {what}{': ' + str(detail) if detail != '' else ''}")
    return cond


def raises(exc, fn, what):
    """Checks that fn() raises exc (as ckanapi maps CKAN's error types); returns the error."""
    try:
        r = fn()
    except exc as e:
        ok(True, f"{what} → {exc.__name__}")
        return e
    except ckanapi.CKANAPIError as e:  # an error type ckanapi does not know, e.g. a 500
        ok(False, f"{what} → {exc.__name__}", f"got {type(e).__name__}: {str(e)[:400]}")
        return e
    except Exception as e:  # noqa: BLE001
        ok(False, f"{what} → {exc.__name__}", f"got {type(e).__name__}: {str(e)[:400]}")
        return e
    ok(False, f"{what} → {exc.__name__}", f"succeeded with {json.dumps(r, ensure_ascii=False)[:300]}")
    return None


def section(name):
    print(f"\n== {name} ==")


def run(name, fn):
    """Runs one group of checks; an unexpected exception fails the group, not the script."""
    section(name)
    try:
        return fn()
    except Exception as e:  # noqa: BLE001
        ok(False, f"{name}: unexpected {type(e).__name__}", f"{str(e)[:600]}\n{traceback.format_exc()[-1500:]}")
        return None


def canon(v):
    """One value as text that a CSV cell and a JSON value of the same datum agree on."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        f = float(v)
        return str(int(f)) if f.is_integer() else repr(round(f, 6))
    s = str(v).strip()
    if s.lower() in ("true", "false"):
        return s.lower()
    if re.fullmatch(r"-?\d+(\.\d+)?", s):
        f = float(s)
        return str(int(f)) if f.is_integer() else repr(round(f, 6))
    # 2024-01-02T08:30:00 (JSON) and 2024-01-02 08:30:00 (CSV)
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.0+)?(Z|\+00:00)?", s)
    if m:
        return f"{m.group(1)} {m.group(2)}"
    return s


def extras(p):
    """A package's extras as a dict."""
    return {e["key"]: e["value"] for e in p.get("extras", [])}


# ---------------------------------------------------------------------------------------
state = {}


def status():
    s = ck.action.status_show()
    ok(isinstance(s, dict) and re.match(r"^\d+\.\d+", str(s.get("ckan_version", ""))),
       "status_show has ckan_version like CKAN's", s)
    ok(isinstance(s.get("site_title"), str) and s["site_title"] != "", "status_show has a site_title", s)


def catalog():
    names = ck.action.package_list()
    ok(isinstance(names, list) and names and all(isinstance(n, str) for n in names),
       f"package_list: {len(names)} names")
    first = ck.action.package_search(rows=0)
    total = first["count"]
    ok(total == len(names), f"package_search count {total} = package_list length {len(names)}")
    ok(first["results"] == [], "rows=0 gives no results", len(first["results"]))
    everything = ck.action.package_search(rows=1000, start=0)
    pkgs = everything["results"]
    ok(len(pkgs) == min(total, 1000), f"rows=1000 gives {len(pkgs)} of {total}")
    ok(sorted(p["name"] for p in pkgs) == sorted(names)[: len(pkgs)] or total > 1000,
       "package_search names = package_list names")
    ok(all(p["id"] == p["name"] for p in pkgs), "each package's id = name (the resource code)",
       [(p["id"], p["name"]) for p in pkgs if p["id"] != p["name"]][:3])
    # start/rows paging is disjoint and covers the total.
    seen = []
    for start in range(0, total, 40):
        page = ck.action.package_search(rows=40, start=start, sort="name asc")
        seen += [p["name"] for p in page["results"]]
    ok(len(seen) == total and len(set(seen)) == total,
       f"package_search start/rows pages (40 each, sort name asc) are disjoint and cover {total}",
       f"{len(seen)} names, {len(set(seen))} distinct")
    ok(seen == sorted(seen), "sort=name asc orders by name", seen[:5])
    state["pkgs"] = pkgs
    state["total"] = total
    with_data = [p for p in pkgs if p.get("resources") and p["resources"][0].get("datastore_active")]
    ok(len(with_data) >= 2, f"{len(with_data)} packages have datastore_active data")
    state["with_data"] = with_data


def facets():
    total = state["total"]
    r = ck.action.package_search(rows=0, **{"facet.field": ["organization", "groups", "tags", "res_format"],
                                            "facet.limit": -1})
    sf = r.get("search_facets", {})
    for f in ("organization", "groups"):
        ok(f in sf and sf[f].get("items"), f"search_facets has {f} items", list(sf.keys()))
    orgs = sf["organization"]["items"]
    ok(all({"name", "display_name", "count"} <= set(i) for i in orgs), "facet items have name, display_name, count",
       orgs[:2])
    ok(sum(i["count"] for i in orgs) == total,
       f"organization facet counts sum to the total {total}", sum(i["count"] for i in orgs))
    state["org_facet"] = {i["name"]: i["count"] for i in orgs}
    # fq on the most frequent organization and group: count = facet count, every result has it.
    for field, key in (("organization", lambda p: [p["organization"]["name"]] if p.get("organization") else []),
                       ("groups", lambda p: [g["name"] for g in p.get("groups", [])]),
                       ("tags", lambda p: [t["name"] for t in p.get("tags", [])])):
        items = sf.get(field, {}).get("items") or []
        if not items:
            ok(False, f"facet {field} has values to filter on")
            continue
        top = max(items, key=lambda i: i["count"])
        res = ck.action.package_search(fq=f'{field}:"{top["name"]}"', rows=1000)
        ok(res["count"] == top["count"], f'fq={field}:"{top["name"]}" count {res["count"]} = facet count {top["count"]}')
        ok(len(res["results"]) == res["count"] and all(top["name"] in key(p) for p in res["results"]),
           f"every fq={field} result carries {top['name']}",
           [p["name"] for p in res["results"] if top["name"] not in key(p)][:3])
        # the same count from the package list itself
        expected = sum(1 for p in state["pkgs"] if top["name"] in key(p))
        ok(expected == res["count"] or state["total"] > 1000,
           f"{field} {top['name']}: {expected} packages carry it in package_search results = fq count")
    # open_type (zhengshu's 开放类型): the facet, fq, and the extra each package carries.
    r = ck.action.package_search(rows=0, **{"facet.field": ["open_type"]})
    ot = {i["name"]: i["count"] for i in r["search_facets"].get("open_type", {}).get("items", [])}
    ok(set(ot) <= {"unconditional", "conditional"} and sum(ot.values()) == total and ot.get("conditional", 0) > 0,
       f"open_type facet: {ot} sums to {total}")
    for value, label in (("conditional", "有条件开放"), ("unconditional", "无条件开放")):
        res = ck.action.package_search(fq=f"open_type:{value}", rows=1000)
        ok(res["count"] == ot.get(value, 0), f"fq=open_type:{value} count {res['count']} = facet count")
        bad = [p["name"] for p in res["results"] if extras(p).get("开放类型") != label]
        ok(not bad, f"every fq=open_type:{value} result has the extra 开放类型={label}", bad[:3])
        state[f"open_type_{value}"] = {p["name"] for p in res["results"]}
    # Two fq clauses narrow (AND): a dataset's own organization and group.
    p0 = next(p for p in state["with_data"] if p.get("groups"))
    org, grp = p0["organization"]["name"], p0["groups"][0]["name"]
    both = ck.action.package_search(fq=f'organization:"{org}" AND groups:"{grp}"', rows=1000)
    expected = sorted(p["name"] for p in state["pkgs"]
                      if p["organization"]["name"] == org and grp in [g["name"] for g in p.get("groups", [])])
    ok(expected and sorted(p["name"] for p in both["results"]) == expected,
       f"fq organization:{org} AND groups:{grp} = the {len(expected)} packages with both",
       [p["name"] for p in both["results"]])
    # OR inside a field: the two largest groups together.
    g = sorted(sf["groups"]["items"], key=lambda i: -i["count"])[:2]
    either = ck.action.package_search(fq=f'groups:("{g[0]["name"]}" OR "{g[1]["name"]}")', rows=0)
    ok(either["count"] == g[0]["count"] + g[1]["count"],
       f'fq groups:("{g[0]["name"]}" OR "{g[1]["name"]}") = {g[0]["count"]} + {g[1]["count"]}', either["count"])


def chinese_query():
    ds = state["with_data"][0]
    title = ds["title"]
    han = re.findall(r"[\u4e00-\u9fff]+", title)
    ok(bool(han), f"dataset title {title!r} has Chinese text")
    word = max(han, key=len)[:4]
    r = ck.action.package_search(q=word, rows=1000)
    ok(r["count"] >= 1 and ds["name"] in [p["name"] for p in r["results"]],
       f"package_search q={word!r} finds {ds['name']} ({title})", r["count"])
    ok(r["count"] <= state["total"], f"q={word!r} count {r['count']} ≤ total {state['total']}")
    r2 = ck.action.package_search(q=title, rows=5)
    ok(r2["count"] >= 1 and r2["results"] and ds["name"] in [p["name"] for p in r2["results"]],
       f"package_search q=<full title> ranks {ds['name']} in the first 5", [p["title"] for p in r2["results"]])
    # q together with fq and facets.
    org = ds["organization"]["name"]
    r3 = ck.action.package_search(q=word, fq=f'organization:"{org}"', rows=1000, **{"facet.field": ["organization"]})
    ok(ds["name"] in [p["name"] for p in r3["results"]] and all(p["organization"]["name"] == org for p in r3["results"]),
       f"q={word!r} with fq=organization:{org} keeps {ds['name']}, only that organization")
    items = r3.get("search_facets", {}).get("organization", {}).get("items", [])
    ok([(i["name"], i["count"]) for i in items] == [(org, r3["count"])],
       "the facet of a filtered search counts only the filtered results", items)
    nothing = ck.action.package_search(q="不存在的数据集名称甲乙丙丁戊", rows=10)
    ok(nothing["count"] == 0 and nothing["results"] == [], "a query matching nothing gives count 0", nothing["count"])


def shows():
    for p in state["with_data"][:4] + state["pkgs"][:2]:
        s = ck.action.package_show(id=p["name"])
        ok(s["name"] == p["name"] and s["title"] == p["title"], f"package_show {p['name']} = its search result")
        res = s.get("resources") or []
        ok(len(res) >= 1 and res[0]["id"] == p["name"] and res[0].get("package_id") == p["name"],
           f"{p['name']}: resource 0 has id = package_id = the code", res[:1])
        if res and res[0].get("datastore_active"):
            ok(str(res[0].get("format", "")).upper() == "CSV"
               and res[0].get("url", "").endswith(f"/open/datasets/{p['name']}/download/csv"),
               f"{p['name']}: resource 0 (datastore_active) is the CSV download", res[0])
        else:
            ok(res and res[0].get("datastore_active") is False, f"{p['name']}: metadata only, datastore_active false",
               res[:1])
        rs = ck.action.resource_show(id=res[0]["id"])
        ok(rs["id"] == res[0]["id"] and rs["url"] == res[0]["url"], f"resource_show {res[0]['id']} = package_show's")
    orgs = ck.action.organization_list()
    ok(isinstance(orgs, list) and all(isinstance(o, str) for o in orgs), f"organization_list: {len(orgs)} names")
    full = ck.action.organization_list(all_fields=True)
    ok(all(isinstance(o, dict) and {"name", "title"} <= set(o) for o in full),
       "organization_list all_fields gives dicts with name and title", full[:1])
    ok(sorted(o["name"] for o in full) == sorted(orgs), "all_fields lists the same organizations")
    for name, n in state["org_facet"].items():
        o = next((o for o in full if o["name"] == name), None)
        ok(o is not None and o.get("package_count") == n,
           f"organization {name}: package_count = facet count {n}", o and o.get("package_count"))
    ds = state["with_data"][0]
    os_ = ck.action.organization_show(id=ds["organization"]["name"])
    ok(os_["name"] == ds["organization"]["name"] and os_["title"] == ds["organization"]["title"],
       f"organization_show {ds['organization']['name']}")
    groups = ck.action.group_list()
    carried = {g["name"] for p in state["pkgs"] for g in p.get("groups", [])}
    ok(carried and carried <= set(groups), f"group_list ({len(groups)}) holds every package's groups",
       sorted(carried - set(groups))[:5])
    tags = ck.action.tag_list()
    carried = {t["name"] for p in state["pkgs"] for t in p.get("tags", [])}
    ok(carried and carried <= set(tags), f"tag_list ({len(tags)}) holds every package's tags",
       sorted(carried - set(tags))[:5])


def fetch_csv(url, headers=None):
    r = requests.get(url, headers=headers or {}, timeout=120)
    return r


def key_and_low(recs, full_fields):
    """A field with a distinct value in every row (to page by) and a text field with 2–40
    distinct values (to filter on), or None for either."""
    data_fields = [f["id"] for f in full_fields if f["id"] != "_id"]
    ftype = {f["id"]: f.get("type", "") for f in full_fields}
    key = next((f for f in data_fields if len({canon(r[f]) for r in recs}) == len(recs)), None)
    low = None
    for f in data_fields:
        vals = {r[f] for r in recs if isinstance(r[f], str) and r[f]}
        if 2 <= len(vals) <= 40 and all(isinstance(r[f], str) for r in recs) and ftype[f] in ("text", "string", ""):
            low = f
            break
    return key, low


def datastore():
    # The datasets with data an anonymous client may read (无条件开放); the others are refused.
    readable = []
    state["refused"] = []
    for p in state["with_data"]:
        try:
            got = ck.action.datastore_search(resource_id=p["name"], limit=1)
        except NotAuthorized:
            state["refused"].append(p["name"])
            continue
        readable.append((p, got))
    ok(bool(readable), f"{len(readable)} datasets with data are readable without a key")
    if not readable:
        return
    # The first one with a column to page by and one to filter on.
    ds = probe = full = None
    for p, got in readable:
        full = ck.action.datastore_search(resource_id=p["name"], limit=32000)
        key, low = key_and_low(full["records"], full["fields"])
        if key and low:
            ds, probe = p, got
            break
    ok(ds is not None, "a readable dataset has a unique column (to page by) and a text column with 2–40 values",
       [p["name"] for p, _ in readable])
    if ds is None:
        return
    code = ds["name"]
    state["open_code"] = code
    recs, total = full["records"], full.get("total")
    fields = [f["id"] for f in full["fields"]]
    print(f"   dataset {code} ({ds['title']}): total {total}, fields {fields}; page by {key}, filter on {low}")
    ok(isinstance(total, int) and total == len(recs) and total > 0,
       f"datastore_search limit 32000: total {total} = {len(recs)} records")
    ok(probe.get("total") == total and len(probe["records"]) == 1, "limit=1 gives one record and the same total")
    data_fields = [f for f in fields if f != "_id"]
    ok(all(set(data_fields) <= set(r) for r in recs), "every record has every field")
    ok(full.get("resource_id") == code, "result names the resource_id", full.get("resource_id"))
    links = full.get("_links", {})
    ok("start" in links and "next" in links, "_links has start and next", links)

    # The CSV download (the resource's url) has the same rows.
    url = ds["resources"][0]["url"]
    if url.startswith("/"):
        url = BASE + url
    r = fetch_csv(url)
    ok(r.status_code == 200, f"GET {url}: 200", r.status_code)
    raw = r.content
    ok(raw.startswith(b"\xef\xbb\xbf"), "the CSV starts with the UTF-8 BOM", raw[:8])
    ok("csv" in r.headers.get("content-type", "").lower(), "Content-Type is CSV", r.headers.get("content-type"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    ok(len(body) == total, f"the CSV has {len(body)} data rows = datastore total {total}")
    # Match CSV columns to datastore fields by id, else by the field's label.
    labels = {f["id"]: (f.get("info") or {}).get("label") for f in full["fields"]}
    colmap = {}
    for f in data_fields:
        if f in header:
            colmap[f] = header.index(f)
        elif labels.get(f) and labels[f] in header:
            colmap[f] = header.index(labels[f])
    ok(len(colmap) == len(data_fields), f"every datastore field is a CSV column ({len(colmap)}/{len(data_fields)})",
       f"header {header}, fields {data_fields}, labels {labels}")
    if colmap:
        from collections import Counter
        a = Counter(tuple(canon(rec[f]) for f in colmap) for rec in recs)
        b = Counter(tuple(canon(row[i]) for i in colmap.values()) for row in body)
        diff = list((a - b).items())[:2] + list((b - a).items())[:2]
        ok(a == b, "the CSV rows equal the datastore records (as multisets)", diff)
    state["records"] = recs
    state["fields"] = full["fields"]

    from collections import Counter
    counts = Counter(r[low] for r in recs)
    value, expected = counts.most_common(1)[0]
    got = ck.action.datastore_search(resource_id=code, filters={low: value}, limit=5, include_total=True)
    ok(got["total"] == expected, f"filters {{{low}: {value!r}}}: total {got['total']} = {expected} rows of the data")
    ok(len(got["records"]) == min(5, expected) and all(r[low] == value for r in got["records"]),
       "filtered records carry the value, limit respected")
    # A second value and a filter on two values (a list = any of them, as CKAN does).
    if len(counts) >= 2:
        (v1, n1), (v2, n2) = counts.most_common(2)
        both = ck.action.datastore_search(resource_id=code, filters={low: [v1, v2]}, limit=0)
        ok(both["total"] == n1 + n2, f"filters {{{low}: [{v1}, {v2}]}}: total {both['total']} = {n1 + n2}")
    # Two filters: key of the first matching row + the value → exactly one row.
    one = next(r for r in recs if r[low] == value)
    two = ck.action.datastore_search(resource_id=code, filters={low: value, key: one[key]})
    ok(two["total"] == 1 and len(two["records"]) == 1 and canon(two["records"][0][key]) == canon(one[key]),
       f"filters on {low} and {key} give the one row", two.get("total"))
    # Paging over the filtered rows: disjoint pages covering the total.
    size = max(1, expected // 3 - 1)
    seen, offset = [], 0
    while offset < expected + size:
        page = ck.action.datastore_search(resource_id=code, filters={low: value}, limit=size, offset=offset,
                                          sort=f"{key} asc", include_total=True)
        ok(page["total"] == expected, f"page at offset {offset}: total {page['total']}") if offset == 0 else None
        if not page["records"]:
            break
        seen += [canon(r[key]) for r in page["records"]]
        offset += size
    want = sorted(canon(r[key]) for r in recs if r[low] == value)
    ok(len(seen) == expected and len(set(seen)) == expected and sorted(seen) == want,
       f"pages of {size} (offset 0, {size}, …) are disjoint and cover the {expected} filtered rows",
       f"{len(seen)} keys, {len(set(seen))} distinct")
    nxt = ck.action.datastore_search(resource_id=code, filters={low: value}, limit=size, offset=expected)
    ok(nxt["records"] == [], "an offset past the end gives no records")
    # include_total=False: no total is computed.
    nt = ck.action.datastore_search(resource_id=code, filters={low: value}, limit=3, include_total=False)
    ok(nt.get("total") is None and len(nt["records"]) == min(3, expected),
       "include_total=False: no total, records still there", nt.get("total"))
    # fields: only the named ones come back.
    fs = ck.action.datastore_search(resource_id=code, fields=[key, low], limit=3)
    ok(all(set(r) - {"_id"} == {key, low} for r in fs["records"]) and len(fs["records"]) == 3,
       f"fields=[{key}, {low}] returns only those", fs["records"][:1])
    ok([f["id"] for f in fs["fields"] if f["id"] != "_id"] == [key, low], "fields lists only those", fs["fields"])
    # sort desc: the largest key first.
    top = ck.action.datastore_search(resource_id=code, sort=f"{key} desc", limit=1)
    by_key = sorted(recs, key=lambda r: r[key])
    ok(canon(top["records"][0][key]) == canon(by_key[-1][key]), f"sort={key} desc gives the largest {key} first",
       (top["records"][0][key], by_key[-1][key]))
    # q: full-text over the rows finds the filtered value's rows.
    qv = ck.action.datastore_search(resource_id=code, q=value, limit=0)
    ok(qv["total"] >= expected, f"q={value!r} finds at least the {expected} rows whose {low} is it", qv["total"])
    state["low"], state["value"], state["expected"], state["key"] = low, value, expected, key

    # datastore_search_sql: counts per value equal the rows'.
    if "low" in state:
        res = ck.action.datastore_search_sql(
            sql=f'SELECT "{low}", COUNT(*) AS n FROM "{code}" GROUP BY "{low}" ORDER BY "{low}"')
        got = {r[low]: int(r["n"]) for r in res["records"]}
        ok(got == dict(counts), f"datastore_search_sql GROUP BY {low} = the rows' counts",
           {k: (got.get(k), counts.get(k)) for k in set(got) ^ set(counts)} or "values differ")
        res = ck.action.datastore_search_sql(sql=f'SELECT COUNT(*) AS n FROM "{code}"')
        ok(int(res["records"][0]["n"]) == total, f"datastore_search_sql COUNT(*) = {total}", res["records"])
        ok(any(f["id"] == "n" for f in res.get("fields", [])), "datastore_search_sql lists its fields", res.get("fields"))


def errors():
    raises(NotFound, lambda: ck.action.package_show(id="no-such-dataset-000"), "package_show of an unknown dataset")
    raises(NotFound, lambda: ck.action.resource_show(id="no-such-resource-000"), "resource_show of an unknown resource")
    raises(NotFound, lambda: ck.action.organization_show(id="unit-999999"), "organization_show of an unknown organization")
    raises(NotFound, lambda: ck.action.datastore_search(resource_id="no-such-resource-000"),
           "datastore_search of an unknown resource")
    raises(ValidationError, lambda: ck.action.package_search(rows=5000), "package_search rows=5000 (cap 1000)")
    raises(ValidationError, lambda: ck.action.package_search(rows=-1), "package_search rows=-1")
    code = state.get("open_code")
    if code:
        # CKAN cuts a limit beyond ckan.datastore.search.rows_max (32000) to it, silently.
        big = ck.action.datastore_search(resource_id=code, limit=50000)
        ok(big.get("limit") == 32000 and len(big["records"]) == min(big["total"], 32000),
           "datastore_search limit=50000 is cut to 32000, as CKAN does", big.get("limit"))
        raises(ValidationError, lambda: ck.action.datastore_search(resource_id=code, limit=-5),
               "datastore_search limit=-5")
        raises(ValidationError, lambda: ck.action.datastore_search(resource_id=code, filters="{not json"),
               "datastore_search with malformed filters")
        raises(ValidationError, lambda: ck.action.datastore_search(resource_id=code, filters={"no_such_column": "x"}),
               "datastore_search filtering on an unknown column")
        raises(ValidationError, lambda: ck.action.datastore_search(resource_id=code, sort="no_such_column desc"),
               "datastore_search sorting by an unknown column")
        for sql in (f'DELETE FROM "{code}"', f'DROP TABLE "{code}"',
                    f'INSERT INTO "{code}" SELECT * FROM "{code}"', f'UPDATE "{code}" SET "{state.get("key", "x")}" = 1'):
            raises(ValidationError, lambda sql=sql: ck.action.datastore_search_sql(sql=sql), f"datastore_search_sql {sql!r}")
        raises(ValidationError, lambda: ck.action.datastore_search_sql(sql="SELEC nonsense"), "malformed SQL")
        # A table that is not open (the demo's enterprise register is not published as open).
        e = None
        try:
            ck.action.datastore_search_sql(sql="SELECT * FROM enterprises LIMIT 1")
            ok(False, "datastore_search_sql on a table that is not open is refused", "it answered")
        except (ValidationError, NotFound, NotAuthorized) as ex:
            ok(True, f"datastore_search_sql on a table that is not open is refused ({type(ex).__name__})")
        except ckanapi.CKANAPIError as ex:
            e = ex
            ok(False, "datastore_search_sql on a table that is not open is refused", f"{type(e).__name__}: {e}")
    raises(ValidationError, lambda: ck.action.datastore_search_sql(), "datastore_search_sql without sql")
    # An unknown action: CKAN answers 400 Bad Request; ckanapi raises its generic CKANAPIError.
    r = requests.post(f"{BASE}/api/3/action/no_such_action", json={}, timeout=30)
    ok(r.status_code == 400 and r.json().get("success") is False, "an unknown action: 400 with success false",
       f"{r.status_code} {r.text[:200]}")
    # A bad fq (unbalanced quote): an error envelope, never a 500.
    r = requests.post(f"{BASE}/api/3/action/package_search", json={"fq": 'organization:"unit-1'}, timeout=30)
    ok(r.status_code in (400, 409) and r.json().get("success") is False,
       "package_search with a malformed fq: 400/409 envelope", f"{r.status_code} {r.text[:200]}")
    # Write actions are refused.
    r = requests.post(f"{BASE}/api/3/action/package_create", json={"name": "x"}, timeout=30)
    ok(r.status_code in (400, 403) and r.json().get("success") is False, "package_create is refused",
       f"{r.status_code} {r.text[:200]}")


def get_only():
    """CKAN's GET form, as ckanapi sends it with get_only=True (JSON parameters as text)."""
    code = state.get("open_code")
    g = RemoteCKAN(BASE, get_only=True, user_agent="zhengshu-e2e ckan_client.py (GET)")
    r = g.action.package_search(q=state["with_data"][0]["title"], rows=3, **{"facet.field": '["organization"]'})
    ok(state["with_data"][0]["name"] in [p["name"] for p in r["results"]] and "organization" in r["search_facets"],
       "GET package_search with facet.field as JSON text")
    if code and "low" in state:
        r = g.action.datastore_search(resource_id=code, filters=json.dumps({state["low"]: state["value"]}),
                                      limit=2, include_total="true")
        ok(r["total"] == state["expected"], f"GET datastore_search with filters as JSON text: total {r['total']}")
    raises(NotFound, lambda: g.action.package_show(id="no-such-dataset-000"), "GET package_show of an unknown dataset")


def conditional():
    """A conditionally opened dataset: refused without a key; with --key, readable."""
    refused = state.get("refused", [])
    ok(bool(refused) or CONDITIONAL is not None,
       "some dataset with data is refused to an anonymous datastore_search (有条件开放)")
    with_data = {p["name"] for p in state["with_data"]}
    if "open_type_conditional" in state:
        ok(set(refused) == with_data & state["open_type_conditional"],
           "the datasets refused anonymously are exactly the conditional ones with data",
           f"refused {sorted(refused)}, conditional with data {sorted(with_data & state['open_type_conditional'])}")
    for code in refused[:2]:
        raises(NotAuthorized, lambda code=code: ck.action.datastore_search_sql(sql=f'SELECT COUNT(*) FROM "{code}"'),
               f"anonymous datastore_search_sql on conditional {code}")
        r = requests.get(f"{BASE}/open/datasets/{code}/download/csv", timeout=60)
        ok(r.status_code in (401, 403), f"anonymous CSV download of conditional {code} is refused", r.status_code)
    if KEY and CONDITIONAL:
        keyed = RemoteCKAN(BASE, apikey=KEY, user_agent="zhengshu-e2e ckan_client.py (key)")
        r = keyed.action.datastore_search(resource_id=CONDITIONAL, limit=5)
        ok(r["total"] > 0 and len(r["records"]) == min(5, r["total"]),
           f"with the app key, datastore_search on {CONDITIONAL}: total {r['total']}")
        s = keyed.action.datastore_search_sql(sql=f'SELECT COUNT(*) AS n FROM "{CONDITIONAL}"')
        ok(int(s["records"][0]["n"]) == r["total"], "with the app key, datastore_search_sql counts the same rows")
        raises(NotAuthorized, lambda: ck.action.datastore_search(resource_id=CONDITIONAL, limit=1),
               f"the same datastore_search without the key on {CONDITIONAL}")
        bad = RemoteCKAN(BASE, apikey="zso_" + "x" * 40)
        raises(NotAuthorized, lambda: bad.action.datastore_search(resource_id=CONDITIONAL, limit=1),
               "an unknown app key")


def frictionless_check():
    code = state.get("open_code")
    if not code:
        print("frictionless: skipped (no readable dataset with data was found above)")
        return
    try:
        import frictionless
        from frictionless import Resource
    except ImportError as e:
        print(f"frictionless: SKIPPED (not installed: {e}); this counts for nothing")
        return
    ds = next(p for p in state["with_data"] if p["name"] == code)
    url = ds["resources"][0]["url"]
    url = BASE + url if url.startswith("/") else url
    total = len(state["records"])
    # The URL's path has no extension: say it is CSV; frictionless detects the encoding (BOM).
    res = Resource(path=url, format="csv")
    rows = res.read_rows()
    ok(len(rows) == total, f"frictionless reads the CSV resource URL: {len(rows)} rows = datastore total {total}")
    names = res.schema.field_names
    ok(len(names) == len([f for f in state["fields"] if f["id"] != "_id"]),
       f"frictionless infers {len(names)} fields", names)
    ok(res.encoding == "utf-8-sig", "frictionless detects UTF-8 with a BOM", res.encoding)
    ok(names == [f["id"] for f in state["fields"] if f["id"] != "_id"], "frictionless's field names = datastore fields",
       names)
    report = frictionless.validate(Resource(path=url, format="csv"))
    ok(report.valid, "frictionless validates the CSV (no blank/extra/missing cells)",
       report.flatten(["rowNumber", "fieldNumber", "type", "note"])[:5] if not report.valid else "")
    # Through CKAN: frictionless's CKAN adapter reads the package (needs frictionless-ckan-mapper).
    try:
        import frictionless_ckan_mapper  # noqa: F401
    except ImportError:
        print("frictionless CKAN adapter: SKIPPED: the package frictionless-ckan-mapper (pip install "
              "'frictionless[ckan]') is not installed; the CSV URL was read directly above")
        return
    from frictionless import Package, portals

    pkg = Package(control=portals.CkanControl(baseurl=BASE, dataset=code))
    ok(len(pkg.resources) >= 1, f"frictionless CkanControl reads package {code}")
    r0 = pkg.resources[0]
    ok(r0.format == "csv" and r0.path == url, f"the package's resource is the CSV {url}", (r0.format, r0.path))
    ok(len(r0.read_rows()) == total, f"frictionless through CKAN reads {total} rows")


run("status_show", status)
run("package_list / package_search", catalog)
if "pkgs" in state:
    run("facets and fq", facets)
    run("Chinese q", chinese_query)
    run("package_show, resource_show, organizations, groups, tags", shows)
    run("datastore_search and the CSV download", datastore)
    run("GET requests (ckanapi get_only)", get_only)
    run("conditionally opened data", conditional)
    run("frictionless", frictionless_check)
run("errors", errors)

print(f"\n{passed} checks passed, {len(failures)} failed")
if failures:
    print("\nFAILED CHECKS:")
    for f in failures:
        print(f"  - {f}")
    sys.exit(1)
