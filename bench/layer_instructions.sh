#!/usr/bin/env bash
# Instructions per browser-shaped request through each tower layer (ours,
# tower-http 0.6 and 0.7, and the floor, which checks nothing), counted by
# callgrind over the calls only (`cors_bench::callgrind::call_one`): what the
# `browser_shaped` criterion benchmark times, without the noise of a shared
# machine. Prints one line per shape and case with each layer's count and
# tower-http's count divided by ours.
# The floor is counted for browser_exact only (it recognises the benchmark
# policy's requests).
# Usage: bash bench/layer_instructions.sh [SHAPE/CASE ...]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
cargo build --quiet --release -p cors-bench --bin layer_cost --manifest-path "$repo/Cargo.toml"
target="${CARGO_TARGET_DIR:-$repo/target}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for shape in browser_exact browser_wildcard browser_1000; do
        for case in preflight_allowed preflight_denied get_allowed get_denied no_origin; do
            targets+=("$shape/$case")
        done
    done
fi
count() {
    valgrind --tool=callgrind --toggle-collect='cors_bench::callgrind::call_one*' \
        --callgrind-out-file="$out/run" "$target/release/layer_cost" "$1" "$2" 2>&1 |
        awk '/refs:/ { gsub(",", "", $4); printf "%d", $4 / 10000 }'
}
printf '%-34s %7s %7s %7s %7s %9s %9s\n' "shape/case" ours 0.6 0.7 floor "0.6/ours" "0.7/ours"
for t in "${targets[@]}"; do
    ours=$(count ours "$t")
    old=$(count tower_http_06 "$t")
    new=$(count tower_http_07 "$t")
    # The floor layer knows the benchmark policy's requests only.
    floor=-
    if [[ "$t" == browser_exact/* ]]; then floor=$(count floor "$t"); fi
    awk -v t="$t" -v ours="$ours" -v old="$old" -v new="$new" -v floor="$floor" \
        'BEGIN { printf "%-34s %7d %7d %7d %7s %8.2fx %8.2fx\n", t, ours, old, new, floor, old / ours, new / ours }'
done
