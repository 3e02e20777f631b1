#!/usr/bin/env bash
# Build cost of a minimal service (issue #19): an axum 0.8 service with one route and
# our tower layer (a three-origin `cors_policy!`), against the same service with
# tower-http 0.7's CorsLayer (same origins, methods, headers and max age). Each is
# built cold, in its own fresh target directory, in the dev and release profiles;
# the script prints CPU time (user + system, rustc and build scripts included),
# wall time, crates compiled, target size, syn versions, and ours / tower-http.
#
# The two services are members of one temporary workspace, so they share one
# Cargo.lock (the same versions of axum, tokio, hyper, ...); `cargo fetch` runs
# first and is not timed, and the builds are `--offline --locked`. Run on demand:
# it takes several minutes and is not part of CI.
#
# Usage: bash bench/build_cost.sh [--dev-only | --release-only] [--runs N] [--rev REV] [--keep]
#   --runs N   build each service N times per profile, alternating ours and tower-http
#              (cold every time); the table shows every run, the ratios use the median
#              CPU and wall time of each service (default 3)
#   --rev REV  measure cors-runtime as committed at REV (git archive) instead of the
#              working tree (useful while the tree is being edited)
#   --keep     keep the temporary directory (its path is printed)
set -euo pipefail

usage() { sed -n 's/^# Usage: /usage: /p; s/^#   /  /p' "$0" >&2; exit "${1:-2}"; }

repo="$(cd "$(dirname "$0")/.." && pwd)"
profiles=(dev release)
runs=3
rev=""
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --dev-only) profiles=(dev) ;;
        --release-only) profiles=(release) ;;
        --runs) runs="${2:?--runs needs a number}"; shift ;;
        --rev) rev="${2:?--rev needs a revision}"; shift ;;
        --keep) keep=1 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
    shift
done
case "$runs" in ''|*[!0-9]*|0) echo "--runs wants a positive integer" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cors-build-cost.XXXXXX")"
cleanup() { if [ "$keep" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

# A cold build means no wrapper cache either.
unset RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR

src="$repo"
from="the working tree of $repo"
if [ -n "$rev" ]; then
    from="$rev ($(git -C "$repo" rev-parse --short "$rev^{commit}"))"
    src="$tmp/src"
    mkdir -p "$src"
    git -C "$repo" archive "$rev" | tar -x -C "$src"
fi

ws="$tmp/ws"
mkdir -p "$ws/ours/src" "$ws/tower-http/src"
cat > "$ws/Cargo.toml" <<'TOML'
[workspace]
resolver = "2"
members = ["ours", "tower-http"]
TOML

manifest() { # directory, package name, the dependency line that differs
    cat > "$ws/$1/Cargo.toml" <<TOML
[package]
name = "$2"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
axum = { version = "0.8", default-features = false, features = ["tokio", "http1"] }
tokio = { version = "1", features = ["rt-multi-thread", "macros", "net"] }
$3
TOML
}
manifest ours svc-ours "cors-runtime = { path = \"$src/cors-runtime\", features = [\"tower\"] }"
manifest tower-http svc-tower-http 'tower-http = { version = "0.7", features = ["cors"] }'
cat > "$ws/ours/src/main.rs" <<'RUST'
use axum::{routing::get, Router};
use cors_runtime::{cors_policy, tower::CorsLayer, Policy};

cors_policy! {
    static POLICY: Policy = {
        allow_origins: ["https://app.example.com", "https://admin.example.com", "https://www.example.com"],
        allow_methods: [GET, POST, PUT, DELETE],
        allow_headers: ["content-type", "x-requested-with"],
        max_age: 600,
    };
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new()
        .route("/items", get(|| async { "[]" }))
        .layer(CorsLayer::new(&POLICY));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, app).await
}
RUST

cat > "$ws/tower-http/src/main.rs" <<'RUST'
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::{routing::get, Router};
use tower_http::cors::{AllowOrigin, CorsLayer};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list([
            HeaderValue::from_static("https://app.example.com"),
            HeaderValue::from_static("https://admin.example.com"),
            HeaderValue::from_static("https://www.example.com"),
        ]))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("x-requested-with")])
        .max_age(Duration::from_secs(600));
    let app = Router::new()
        .route("/items", get(|| async { "[]" }))
        .layer(cors);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, app).await
}
RUST

# Resolve and download once, untimed (falls back to the local registry cache offline).
(cd "$ws" && { cargo generate-lockfile -q 2>/dev/null || cargo generate-lockfile -q --offline; } \
    && { cargo fetch -q 2>/dev/null || cargo fetch -q --offline; })

services=(svc-ours svc-tower-http)
syn_versions() { # package
    (cd "$ws" && cargo tree -q --offline --locked -p "$1" -e normal,build --prefix none --format '{p}') \
        | awk '$1 == "syn" { print $2 }' | sort -u | paste -sd, -
}

results="$tmp/results.tsv"   # profile service run cpu wall crates bytes
: > "$results"
for profile in "${profiles[@]}"; do
    flag=(); [ "$profile" = release ] && flag=(--release)
    for run in $(seq 1 "$runs"); do
        for svc in "${services[@]}"; do
            target="$tmp/target-$svc-$profile-$run"
            echo "building $svc ($profile, run $run of $runs)..." >&2
            (cd "$ws" && CARGO_TARGET_DIR="$target" /usr/bin/time -f '%U %S %e' -o "$tmp/time" \
                cargo build --offline --locked -p "$svc" "${flag[@]}" --message-format=json > "$tmp/build.json" 2> "$tmp/build.err") \
                || { echo "build of $svc failed:" >&2; cat "$tmp/build.err" >&2
                     jq -r 'select(.reason == "compiler-message") | .message.rendered' "$tmp/build.json" >&2; exit 1; }
            read -r user sys wall < <(tail -n 1 "$tmp/time")
            crates=$(jq -r 'select(.reason == "compiler-artifact") | .package_id' "$tmp/build.json" | sort -u | wc -l)
            bytes=$(du -sb "$target" | cut -f1)
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$profile" "$svc" "$run" \
                "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')" "$wall" "$crates" "$bytes" >> "$results"
            rm -rf "$target"
        done
    done
done

declare -A syn
for svc in "${services[@]}"; do syn[$svc]="$(syn_versions "$svc")"; done

echo
echo "Cold builds of a minimal axum 0.8 service: $(rustc --version | cut -d' ' -f1-2), $(nproc) CPUs," \
    "load average at the end $(cut -d' ' -f1-3 /proc/loadavg); cors-runtime from $from"
echo "Locked versions: $(awk '/^name = / { n = $3 } /^version = / && n ~ /^"(axum|hyper|tokio|tower|tower-http|syn)"$/ { gsub(/"/, "", n); gsub(/"/, "", $3); printf "%s%s %s", sep, n, $3; sep = ", " }' "$ws/Cargo.lock")"
echo
echo "| profile | service | run | CPU s (user+sys) | wall s | crates compiled | target MB | syn versions |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
while IFS=$'\t' read -r profile svc run cpu wall crates bytes; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$profile" "${svc#svc-}" "$run" "$cpu" "$wall" "$crates" \
        "$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }')" "${syn[$svc]}"
done < "$results"
echo
echo "Ratios of the medians over the runs:"
echo "| profile | CPU ours / tower-http | wall ours / tower-http | crates ours - tower-http | target ours / tower-http |"
echo "| --- | ---: | ---: | ---: | ---: |"
for profile in "${profiles[@]}"; do
    awk -F'\t' -v p="$profile" '
        function median(list,    n, values, i, j, t) {
            n = split(list, values, " ")
            for (i = 2; i <= n; i++) for (j = i; j > 1 && values[j - 1] + 0 > values[j] + 0; j--) {
                t = values[j]; values[j] = values[j - 1]; values[j - 1] = t
            }
            return (n % 2) ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
        }
        $1 == p {
            s = ($2 == "svc-ours") ? "o" : "t"
            cpu[s] = cpu[s] " " $4; wall[s] = wall[s] " " $5
            crates[s] = $6; bytes[s] = $7
        }
        END {
            printf "| %s | %.2f | %.2f | %+d | %.2f |\n", p, median(cpu["o"]) / median(cpu["t"]),
                median(wall["o"]) / median(wall["t"]), crates["o"] - crates["t"], bytes["o"] / bytes["t"]
        }' "$results"
done
