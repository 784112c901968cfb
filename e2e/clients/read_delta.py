#!/usr/bin/env python3
"""Checks that other engines read a Delta Lake table zhengshu wrote: Python `deltalake`
(delta-rs), `polars.read_delta` and DuckDB's `delta_scan` each must see the expected row
count, column names (in order), column sums and a filtered count. Exits 1 with the reason
on any mismatch.

Usage: read_delta.py TABLE_DIR EXPECTED.json

EXPECTED.json:
    {"rows": 3,
     "columns": ["credit_code", "name", "established_on"],
     "sum": {"registered_capital": 1234.5},           # optional; one or more columns
     "where": {"status": "存续", "count": 2}}          # optional; every key but "count" is
                                                       # a column = value condition (ANDed)
Values in "where" are compared with the column cast to text ("2015-01-01" for a date,
"true" for a boolean); a JSON null matches NULL.

DuckDB's `delta` extension is downloaded on first use (`INSTALL delta`). On an offline
machine where that fails, DuckDB reads the table's current Parquet files instead
(`DeltaTable(path).file_uris()` through `read_parquet`, with partition values taken from
the log) and the script says so.

Needs: pip install deltalake pyarrow polars duckdb
"""
import json
import math
import os
import sys
import urllib.parse
from decimal import Decimal

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable


class Mismatch(Exception):
    pass


def close(got, want) -> bool:
    if got is None or want is None:
        return got is None and want is None
    got, want = float(got), float(want)
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6)


def conditions(expected: dict) -> list:
    where = expected.get("where") or {}
    return [(col, value) for col, value in where.items() if col != "count"]


def check(engine: str, expected: dict, rows: int, columns: list, sums: dict, count) -> str:
    """Compares what one engine saw with EXPECTED; returns the engine's report line."""
    problems = []
    if rows != expected["rows"]:
        problems.append(f"rows {rows}, expected {expected['rows']}")
    if "columns" in expected and columns != expected["columns"]:
        problems.append(f"columns {columns}, expected {expected['columns']}")
    for col, want in (expected.get("sum") or {}).items():
        if not close(sums[col], want):
            problems.append(f"sum({col}) {sums[col]}, expected {want}")
    where = expected.get("where")
    if where is not None and count != where["count"]:
        problems.append(f"count where {dict(conditions(expected))} is {count}, expected {where['count']}")
    if problems:
        raise Mismatch("; ".join(problems))
    line = f"{engine} ok rows={rows} columns={len(columns)}"
    for col in expected.get("sum") or {}:
        line += f" sum({col})={sums[col]}"
    if where is not None:
        line += f" count={count}"
    return line


def number(v):
    return float(v) if isinstance(v, Decimal) else v


def read_deltalake(path: str, expected: dict) -> str:
    table = DeltaTable(path).to_pyarrow_table()
    sums = {c: number(pc.sum(table[c]).as_py()) for c in expected.get("sum") or {}}
    count = None
    if "where" in expected:
        mask = pa.chunked_array([pa.array([True] * table.num_rows, pa.bool_())])
        for col, value in conditions(expected):
            if value is None:
                cond = pc.is_null(table[col])
            else:
                cond = pc.fill_null(pc.equal(pc.cast(table[col], pa.string()), str(value)), False)
            mask = pc.and_(mask, cond)
        count = pc.sum(mask.cast(pa.int64())).as_py() or 0
    return check("deltalake", expected, table.num_rows, table.column_names, sums, count)


def read_polars(path: str, expected: dict) -> str:
    df = pl.read_delta(path)
    sums = {c: number(df[c].sum()) for c in expected.get("sum") or {}}
    count = None
    if "where" in expected:
        expr = pl.lit(True)
        for col, value in conditions(expected):
            if value is None:
                expr = expr & pl.col(col).is_null()
            else:
                expr = expr & (pl.col(col).cast(pl.Utf8) == str(value)).fill_null(False)
        count = df.filter(expr).height
    return check("polars", expected, df.height, df.columns, sums, count)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


DUCKDB_TYPES = {
    "string": "VARCHAR", "long": "BIGINT", "integer": "INTEGER", "short": "SMALLINT",
    "byte": "TINYINT", "double": "DOUBLE", "float": "FLOAT", "boolean": "BOOLEAN",
    "date": "DATE", "timestamp": "TIMESTAMPTZ", "timestamp_ntz": "TIMESTAMP", "binary": "BLOB",
}


def duckdb_type(delta_type) -> str:
    name = getattr(delta_type, "type", str(delta_type))
    if name.startswith("decimal"):
        return name.upper()
    return DUCKDB_TYPES.get(name, "VARCHAR")


def parquet_fallback_sql(path: str) -> str:
    """SQL reading the table's current Parquet files, as delta_scan would: only the files
    of the current version, partition columns attached from the log, in schema order."""
    dt = DeltaTable(path)
    features = set(dt.protocol().reader_features or [])
    unsupported = features & {"deletionVectors", "columnMapping"}
    if unsupported:
        raise Mismatch(f"cannot read the Parquet files directly: the table uses {sorted(unsupported)}")
    files = [u[len("file://"):] if u.startswith("file://") else u for u in dt.file_uris()]
    if not files:
        raise Mismatch("the table has no data files")
    fields = dt.schema().fields
    partition_cols = dt.metadata().partition_columns
    if not partition_cols:
        return f"SELECT * FROM read_parquet([{', '.join(map(quote_str, files))}], union_by_name = true, hive_partitioning = false)"
    # Partition values are not in the Parquet files: take them from the log's add actions.
    actions = pa.table(dt.get_add_actions(flatten=True)).to_pylist()
    values_by_file = {}
    for a in actions:
        rel = urllib.parse.unquote(a["path"])
        values_by_file[rel] = tuple(a[f"partition.{c}"] for c in partition_cols)
    groups = {}
    for f in files:
        rel = next((r for r in values_by_file if f.endswith("/" + r) or f == r), None)
        if rel is None:
            raise Mismatch(f"{f} is not in the log's add actions")
        groups.setdefault(values_by_file[rel], []).append(f)
    types = {f.name: duckdb_type(f.type) for f in fields}
    parts = []
    for values, group in groups.items():
        extra = ", ".join(
            f"CAST({'NULL' if v is None else quote_str(str(v))} AS {types[c]}) AS {quote_ident(c)}"
            for c, v in zip(partition_cols, values)
        )
        parts.append(f"SELECT *, {extra} FROM read_parquet([{', '.join(map(quote_str, group))}], union_by_name = true, hive_partitioning = false)")
    ordered = ", ".join(quote_ident(f.name) for f in fields)
    return f"SELECT {ordered} FROM ({' UNION ALL BY NAME '.join(parts)})"


def read_duckdb(path: str, expected: dict) -> str:
    con = duckdb.connect()
    engine = "duckdb"
    try:
        con.execute("INSTALL delta; LOAD delta;")
        source = f"delta_scan({quote_str(os.path.abspath(path))})"
    except duckdb.Error as e:
        reason = str(e).splitlines()[0]
        print(f"duckdb: the delta extension is not available ({reason}); "
              "reading the table's current Parquet files (DeltaTable.file_uris()) with read_parquet instead")
        engine = "duckdb(read_parquet)"
        source = f"({parquet_fallback_sql(path)})"
    con.execute(f"CREATE TEMP VIEW t AS SELECT * FROM {source}")
    columns = [r[0] for r in con.execute("DESCRIBE t").fetchall()]
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    sums = {}
    for col in expected.get("sum") or {}:
        sums[col] = number(con.execute(f"SELECT sum({quote_ident(col)}) FROM t").fetchone()[0])
    count = None
    if "where" in expected:
        preds, params = [], []
        for col, value in conditions(expected):
            if value is None:
                preds.append(f"{quote_ident(col)} IS NULL")
            else:
                preds.append(f"CAST({quote_ident(col)} AS VARCHAR) = ?")
                params.append(str(value))
        sql = "SELECT count(*) FROM t WHERE " + (" AND ".join(preds) or "true")
        count = con.execute(sql, params).fetchone()[0]
    return check(engine, expected, rows, columns, sums, count)


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: read_delta.py TABLE_DIR EXPECTED.json", file=sys.stderr)
        return 2
    path = sys.argv[1]
    with open(sys.argv[2], encoding="utf-8") as f:
        expected = json.load(f)
    failed = 0
    for engine, read in [("deltalake", read_deltalake), ("polars", read_polars), ("duckdb", read_duckdb)]:
        try:
            print(read(path, expected), flush=True)
        except Mismatch as e:
            failed += 1
            print(f"{engine} MISMATCH in {path}: {e}", file=sys.stderr, flush=True)
        except Exception as e:  # an engine that cannot read the table at all is a failure too
            failed += 1
            print(f"{engine} FAILED to read {path}: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
    if failed:
        print(f"read_delta: {failed} engine(s) disagree with {sys.argv[2]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
