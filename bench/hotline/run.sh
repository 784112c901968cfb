#!/usr/bin/env bash
# 12345 hotline: order creation through Open311 POST and the JSON API, and the statistics
# page on a 1,000,000-order table, through the real router on a loopback port.
# Usage: bench/hotline/run.sh [--orders N] [--requests N] [--concurrency N] [--page-loads N] [--db URL]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec cargo run --release -p zhengshu-hotline --example hotline_bench -- "$@"
