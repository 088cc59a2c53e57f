#!/usr/bin/env bash
# Builds the front-end fuzzer with clang (libFuzzer + ASan + UBSan) and runs it.
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags]
# The corpus is seeded from tests/programs and tests/frontend; crashes land in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
CC=${CC:-$(command -v clang-19 || command -v clang)}
out=build-fuzz
mkdir -p "$out/corpus"
cp -n tests/programs/*.cu tests/frontend/*.cu "$out/corpus/" 2>/dev/null || true
srcs=$(ls core/frontend/*.c core/ir/*.c)
# The host rewrite needs only the lexer; its files are exercised by their unit tests.
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_GNU_SOURCE -DCW_BUILDING_LIBCW -Icore/include -Icore $(pkg-config --cflags glib-2.0) \
  tests/fuzz/fuzz_frontend.c $srcs $(pkg-config --libs glib-2.0) -lm -o "$out/fuzz_frontend"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec "$out/fuzz_frontend" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
  -artifact_prefix="$out/" "$@" "$out/corpus"
