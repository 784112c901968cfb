#!/usr/bin/env python3
"""Checks the catalog's exports with the real clients of each standard, against a running
zhengshu: rdflib parses the DCAT-AP catalog as Turtle and as JSON-LD (same graph), one
resource's two serialisations are isomorphic, frictionless accepts its datapackage.json,
and openpyxl opens the XLSX export (what Excel opens). Exits non-zero with the reason.

Usage: validate_exports.py BASE_URL ADMIN_PASSWORD
"""
import http.cookiejar
import io
import json
import sys
import urllib.parse
import urllib.request

import openpyxl
import rdflib
from frictionless import Package
from rdflib.compare import isomorphic

base, password = sys.argv[1].rstrip("/"), sys.argv[2]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(path: str) -> bytes:
    with opener.open(base + path, timeout=60) as r:
        return r.read()


DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
ttl = rdflib.Graph().parse(data=get("/catalog.ttl").decode(), format="turtle")
jsonld = rdflib.Graph().parse(data=get("/catalog.jsonld").decode(), format="json-ld")
HYDRA = "http://www.w3.org/ns/hydra/core#"


def without_paging(g: rdflib.Graph) -> rdflib.Graph:
    """The graph minus the hydra paging view, whose links name each format's own URL."""
    out = rdflib.Graph()
    for s, p, o in g:
        if "?page=" not in str(s) and not str(p).startswith(HYDRA):
            out.add((s, p, o))
    return out


ttl, jsonld = without_paging(ttl), without_paging(jsonld)
datasets = sorted(ttl.subjects(rdflib.RDF.type, DCAT.Dataset))
assert datasets, "catalog.ttl has no dcat:Dataset"
assert len(ttl) == len(jsonld), f"Turtle has {len(ttl)} triples, JSON-LD {len(jsonld)}"
assert isomorphic(ttl, jsonld), "catalog.ttl and catalog.jsonld describe different graphs"
code = str(next(ttl.objects(datasets[0], DCT.identifier)))
one_ttl = rdflib.Graph().parse(data=get(f"/catalog/{code}.ttl").decode(), format="turtle")
one_jsonld = rdflib.Graph().parse(data=get(f"/catalog/{code}.jsonld").decode(), format="json-ld")
assert isomorphic(one_ttl, one_jsonld), f"{code}: Turtle and JSON-LD differ"
print(f"DCAT: {len(ttl)} triples, {len(datasets)} datasets on page 1; {code}: {len(one_ttl)} triples, isomorphic")

descriptor = json.loads(get(f"/catalog/{code}/datapackage.json"))
package = Package.from_descriptor(descriptor)  # raises on an invalid descriptor
fields = package.resources[0].schema.field_names
assert fields, "the Table Schema has no fields"
print(f"Data Package: valid, {len(fields)} fields")

# The XLSX export needs a login: the form, like a browser.
get("/console/login")
csrf = next(c.value for c in jar if c.name == "zs_csrf")
form = urllib.parse.urlencode({"username": "admin", "password": password, "_csrf": csrf}).encode()
opener.open(urllib.request.Request(base + "/console/login", data=form), timeout=60).read()
book = openpyxl.load_workbook(io.BytesIO(get("/api/v1/catalog/export.xlsx")), read_only=True)
sheet = book.worksheets[0]
rows = sum(1 for _ in sheet.iter_rows())
total = json.loads(get("/api/v1/catalog/resources?per_page=1"))["total"]
assert total > 100, f"the catalog lists only {total} resources"
assert rows == total + 1, f"the XLSX export has {rows} rows for {total} resources (+1 header)"
print(f"XLSX export: sheet {sheet.title!r}, {rows - 1} resources = the catalog's {total}")
