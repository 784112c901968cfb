#!/usr/bin/env python3
"""The shared enterprise generator, chunk by chunk, for row counts it cannot do in one go.

Usage: gen_big.py ROWS OUT.csv [--chunk N]

`../shared/bench/gen_enterprises.py` draws every row from its index i alone, but DuckDB
plans its correlated ID-checksum subquery as a join over the whole range and holds it in
memory: 100,000,000 rows grew past 6 GB in two minutes without writing a byte. This runs
the shared script's own SQL for i in [lo, hi) one chunk at a time (5,000,000 rows by
default) and appends the chunks to one file, so the output is byte for byte the rows a
single run would write for the same ROWS, in the same order, with one header line.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "bench", "gen_enterprises.py")


def main() -> None:
    args = sys.argv[1:]
    chunk = 5_000_000
    if "--chunk" in args:
        i = args.index("--chunk")
        chunk = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    rows, out = int(args[0]), args[1]
    src = open(SHARED, encoding="utf-8").read()
    if "FROM range({rows}) t(i)" not in src or "(HEADER, DELIMITER ',')" not in src:
        sys.exit(f"{SHARED} changed: its range or COPY clause is not where this script expects")
    src = src.replace("FROM range({rows}) t(i)", "FROM range({lo}, {hi}) t(i)")
    src = src.replace("(HEADER, DELIMITER ',')", "(HEADER {header}, DELIMITER ',')")
    # The f-string's own placeholders: lo, hi and header come from the command line.
    src = re.sub(r"^rows = .*$", "rows = 0; out = sys.argv[2]; lo, hi = int(sys.argv[3]), int(sys.argv[4]); header = sys.argv[5]",
                 src, count=1, flags=re.M)
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "gen_chunk.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(src)
        part = os.path.join(tmp, "part.csv")
        with open(out, "wb") as sink:
            for lo in range(0, rows, chunk):
                hi = min(rows, lo + chunk)
                header = "true" if lo == 0 else "false"
                subprocess.run([sys.executable, script, "0", part, str(lo), str(hi), header],
                               check=True, stdout=subprocess.DEVNULL)
                with open(part, "rb") as f:
                    while True:
                        buf = f.read(16 << 20)
                        if not buf:
                            break
                        sink.write(buf)
                os.remove(part)
                print(f"rows {lo}..{hi}", file=sys.stderr, flush=True)
    print("wrote", out)


if __name__ == "__main__":
    main()
