#!/usr/bin/env bash
# Instructions per request (evaluate + apply into a fresh HeaderMap) for the
# benchmark policy, counted by callgrind: deterministic, unlike time on a
# shared machine. Each case runs `bench/src/bin/profile.rs`'s loop of 100,000
# requests; the count printed is the program's total divided by 100,000
# (start-up adds about 3 per request).
# `exact:CASE` and `wildcard:CASE` count the same with a `*.example.com`
# policy asked by a two-label subdomain, and with three exact origins, for
# the wildcard-within-10% check; `floor:CASE` counts writing the same
# response headers from static strings into a fresh map with no evaluation.
# Usage: bash bench/instructions.sh [case ...]   (default: all five cases,
# then the allowed cases of both shapes)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
cargo build --quiet --release -p cors-bench --bin profile --bin floor --manifest-path "$repo/Cargo.toml"
target="${CARGO_TARGET_DIR:-$repo/target}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(preflight_allowed preflight_denied get_allowed get_denied no_origin
    exact:preflight_allowed wildcard:preflight_allowed exact:get_allowed wildcard:get_allowed
    floor:preflight_allowed floor:preflight_denied floor:get_allowed floor:get_denied floor:no_origin)
for case in "${cases[@]}"; do
    binary=profile
    arg="$case"
    if [[ "$case" == floor:* ]]; then binary=floor; arg="${case#floor:}"; fi
    total=$(valgrind --tool=callgrind --callgrind-out-file="$out/${case//[:\/]/_}" \
        "$target/release/$binary" "$arg" 2>&1 | awk '/refs:/ { gsub(",", "", $4); print $4 }')
    printf '%-28s %6d instructions per request\n' "$case" $((total / 100000))
done
