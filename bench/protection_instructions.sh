#!/usr/bin/env bash
# Instructions per browser-shaped cross-site POST (allowed, refused) through
# our tower layer, tower-http 0.7's CsrfLayer on its CorsLayer, and
# Policy::evaluate_request alone, counted by callgrind over
# `bench/src/bin/protection_cost.rs`'s calls only
# (`cors_bench::callgrind::call_one*`): what the `protection`
# criterion benchmark times, without the noise of a shared machine. Prints
# each count and tower-http's count divided by ours.
# Usage: bash bench/protection_instructions.sh [allowed|refused ...]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
cargo build --quiet --release -p cors-bench --bin protection_cost --manifest-path "$repo/Cargo.toml"
target="${CARGO_TARGET_DIR:-$repo/target}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(allowed refused)
count() {
    valgrind --tool=callgrind --toggle-collect='cors_bench::callgrind::call_one*' \
        --callgrind-out-file="$out/run" "$target/release/protection_cost" "$1" "$2" 2>&1 |
        awk '/refs:/ { gsub(",", "", $4); printf "%d", $4 / 10000 }'
}
printf '%-10s %7s %14s %17s %14s\n' case ours tower_http_07 evaluate_request "0.7/ours"
for case in "${cases[@]}"; do
    ours=$(count ours "$case")
    theirs=$(count tower_http_07 "$case")
    alone=$(count evaluate_request "$case")
    awk -v c="$case" -v ours="$ours" -v theirs="$theirs" -v alone="$alone" \
        'BEGIN { printf "%-10s %7d %14d %17d %13.2fx\n", c, ours, theirs, alone, theirs / ours }'
done
