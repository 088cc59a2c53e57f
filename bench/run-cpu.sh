#!/usr/bin/env bash
# bench/run-cpu.sh — the benchmarks on this machine's CPU, as ratios.
#
# Runs bench/*.cu through `cwrun --backend=cpu` (and opencl when a device is present, or the
# backends given with --backends), and the serial C references in bench/ref/ in the same invocation,
# then prints each backend's throughput relative to the references, e.g.
#     saxpy  cpu / serial C: 1.80x; cpu / memcpy bandwidth: 0.70x
#
# usage: bench/run-cpu.sh [--build DIR] [--backends "cpu opencl"] [--quick]
#   --build DIR   the meson build directory holding cwrun and the plugins (default: build)
#   --quick       smaller sizes and fewer repetitions (a smoke run)
#   BENCH_VERBOSE=1 also prints every measured value on stderr
# environment: CWRUN (cwrun to use), CC and REF_CFLAGS (compiler and flags for the C references,
#   default cc -O2).
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/common.sh"

build="$repo/build"
backends=""
bench_parse_args "$@" || exit 2
bench_setup_build "$build" || exit 1

if [ $quick -eq 1 ]; then
  vec_log2=20; vec_reps=5; gemm_n=128; gemm_reps=1; naive_n=128; launches=200
else
  vec_log2=24; vec_reps=20; gemm_n=512; gemm_reps=2; naive_n=512; launches=2000
fi
if [ -z "$backends" ]; then
  backends="cpu"
  bench_backend_present opencl && backends="$backends opencl"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cw-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# The references, compiled here with the system compiler.
cc=${CC:-cc}
cflags=${REF_CFLAGS:--O2}
for r in saxpy_serial memcpy_bw sgemm_naive; do
  # shellcheck disable=SC2086
  if ! "$cc" -std=gnu11 $cflags -o "$work/$r" "$repo/bench/ref/$r.c" -lm; then
    echo "bench: cannot compile bench/ref/$r.c" >&2
    exit 1
  fi
done
bench_run "$work/ref-saxpy" 300 "$work/saxpy_serial" "$vec_log2" "$vec_reps"
bench_run "$work/ref-memcpy" 300 "$work/memcpy_bw" "$vec_log2" "$vec_reps"
bench_run "$work/ref-sgemm" 600 "$work/sgemm_naive" "$naive_n" 1
serial=$(bench_value "$work/ref-saxpy" saxpy_serial)
memcpy=$(bench_value "$work/ref-memcpy" memcpy)
naive=$(bench_value "$work/ref-sgemm" sgemm_naive)

for b in $backends; do
  bench_run "$work/$b-saxpy" 600 "$CWRUN" --backend="$b" "$repo/bench/saxpy.cu" -- "$vec_log2" "$vec_reps"
  bench_run "$work/$b-sgemm" 600 "$CWRUN" --backend="$b" "$repo/bench/sgemm.cu" -- "$gemm_n" "$gemm_reps"
  bench_run "$work/$b-reduce" 600 "$CWRUN" --backend="$b" "$repo/bench/reduce.cu" -- "$vec_log2" "$vec_reps"
  bench_run "$work/$b-launch" 600 "$CWRUN" --backend="$b" "$repo/bench/empty_launch.cu" -- "$launches"
done

echo "CPU benchmarks (2^$vec_log2 floats, SGEMM N=$gemm_n vs naive C at N=$naive_n; references: $cc $cflags)"
for b in $backends; do
  saxpy=$(bench_value "$work/$b-saxpy" saxpy)
  sgemm=$(bench_value "$work/$b-sgemm" sgemm)
  reduce=$(bench_value "$work/$b-reduce" reduce)
  echo "saxpy   $b / serial C: $(bench_ratio "$saxpy" "$serial"); $b / memcpy bandwidth: $(bench_ratio "$saxpy" "$memcpy")"
  echo "sgemm   $b / naive C: $(bench_ratio "$sgemm" "$naive")"
  echo "reduce  $b / memcpy bandwidth: $(bench_ratio "$reduce" "$memcpy")"
  launch=$(bench_value "$work/$b-launch" launch)
  launch_sync=$(bench_value "$work/$b-launch" launch_sync)
  echo "launch  $b: ${launch:-n/a} us per launch, ${launch_sync:-n/a} us with a synchronization each"
done
