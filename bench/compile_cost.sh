#!/usr/bin/env bash
# Compile cost of big policies: the time `cargo build` spends on a crate whose
# policy has 1,000 or 10,000 exact origins, on one with 100 or 256 rules, and
# on a 1-origin baseline, once their dependencies are built (only the crate
# itself, i.e. macro expansion, the perfect hash and codegen, is timed).
# Usage: bash bench/compile_cost.sh [debug|release]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
profile="${1:-debug}"
flag=""; [ "$profile" = release ] && flag="--release"
root="$repo/target/compile-cost"
export CARGO_TARGET_DIR="$root/target"
mkdir -p "$root"

make_crate() { # name, policy body
    local dir="$root/$1"
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
cors-runtime = { path = "$repo/cors-runtime" }

[workspace]
TOML
    printf 'cors_runtime::cors_policy! {\n    pub static POLICY: cors_runtime::Policy = %s;\n}\n' "$2" > "$dir/src/lib.rs"
}

origins() { # count
    local list
    list=$(seq 0 $(($1 - 1)) | awk '{printf "%s\"https://app%d.example.com\"", (NR > 1 ? ", " : ""), $1}')
    printf '{ allow_origins: [%s], allow_methods: [GET, PUT], allow_headers: ["content-type"], max_age: 600 }' "$list"
}

rules() { # count
    local list
    list=$(seq 0 $(($1 - 1)) | awk '{printf "%s{ id: \"r%d\", allow_origins: [\"https://rule%d.example.com\", \"https://*.r%d.example.net\"], allow_methods: [GET, PUT], allow_headers: [\"content-type\", \"x-amz-*\"], max_age: 600 }", (NR > 1 ? ", " : ""), $1, $1, $1}')
    printf '[%s]' "$list"
}

make_crate baseline "$(origins 1)"
make_crate origins1k "$(origins 1000)"
make_crate origins10k "$(origins 10000)"
make_crate rules100 "$(rules 100)"
make_crate rules256 "$(rules 256)"

for name in baseline origins1k origins10k rules100 rules256; do
    (cd "$root/$name" && cargo build -q $flag)   # dependencies, once
    touch "$root/$name/src/lib.rs"
    start=$(date +%s.%N)
    (cd "$root/$name" && cargo build -q $flag)
    end=$(date +%s.%N)
    printf '%-11s %s build of the crate alone: %.2f s\n' "$name" "$profile" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
done
