#!/usr/bin/env bash
# Builds every fuzz target and runs each for a bounded time.
#
#   .ci/fuzz.sh [SECONDS_PER_TARGET]   (default 20)
#
# Needs the nightly toolchain; installs cargo-fuzz if it is missing. Inputs
# are capped at 4096 bytes here (the targets themselves skip inputs above
# 64 KiB), so a libFuzzer timeout means superlinear behaviour. A crash
# leaves its input in fuzz/artifacts/<target>/: copy it to
# tests/fuzz_regressions/<target>/ with a note (see the README there).
set -euo pipefail

seconds="${1:-20}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

targets=$(cargo +nightly fuzz list)
cargo +nightly fuzz build
for target in $targets; do
    echo "== fuzz $target for ${seconds}s"
    # Seed each corpus with the regression inputs, if any.
    corpus="corpus/$target"
    mkdir -p "$corpus"
    if [ -d "$root/tests/fuzz_regressions/$target" ]; then
        find "$root/tests/fuzz_regressions/$target" -type f ! -name '*.md' -exec cp {} "$corpus/" \;
    fi
    cargo +nightly fuzz run "$target" "$corpus" -- \
        -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1
done
