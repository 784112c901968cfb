#!/usr/bin/env bash
# Catalog search over a 100,000-resource catalog, through the HTTP API on a loopback port.
# Usage: bench/catalog_search/run.sh [--resources N] [--queries N] [--concurrency N]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec cargo run --release -p zhengshu-catalog --example catalog_search_bench -- "$@"
