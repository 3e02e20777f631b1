#!/usr/bin/env bash
# Instructions per `Policy::evaluate` of a preflight with a 4 KB
# Access-Control-Request-Headers, for policies of hostile shapes within the
# documented limits (`bench/src/bin/shape_cost.rs` describes each), counted
# by callgrind over `shape_cost::evaluate_one` only, and each shape's count
# divided by the three-origin policy's for the same request (issue #18's
# target: at most 3x).
# Usage: bash bench/shape_instructions.sh [shape ...]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
cargo build --quiet --release -p cors-bench --bin shape_cost --manifest-path "$repo/Cargo.toml"
target="${CARGO_TARGET_DIR:-$repo/target}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
shapes=("$@")
[ ${#shapes[@]} -eq 0 ] && shapes=(three_origins ports schemes rules methods names patterns pattern_scan s3 s3_patterns)
count() {
    valgrind --tool=callgrind --toggle-collect='shape_cost::evaluate_one' \
        --callgrind-out-file="$out/run" "$target/release/shape_cost" "$1" "$2" 2>&1 |
        awk '/refs:/ { gsub(",", "", $4); printf "%d", $4 / 1000 }'
}
base_allowed=$(count three_origins allowed)
base_denied=$(count three_origins denied)
printf '%-14s %9s %7s %9s %7s\n' shape allowed ratio denied ratio
for shape in "${shapes[@]}"; do
    allowed=$(count "$shape" allowed)
    denied=$(count "$shape" denied)
    awk -v s="$shape" -v a="$allowed" -v d="$denied" -v ba="$base_allowed" -v bd="$base_denied" \
        'BEGIN { printf "%-14s %9d %6.2fx %9d %6.2fx\n", s, a, a / ba, d, d / bd }'
done
