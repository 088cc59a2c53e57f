#!/usr/bin/env bash
# bench/run-cpu-vs-pocl.sh — the same kernels on the cpu-simd backend and on OpenCL (PoCL here),
# in one invocation, as ratios of OpenCL's throughput to cpu-simd's, e.g.
#     saxpy   opencl / cpu: 0.85x  (cpu 14.2 GB/s, opencl 12.1 GB/s)
#
# Runs bench/saxpy.cu, bench/sgemm.cu (32x32 tiles) and bench/reduce.cu (shared-memory tree)
# through `cwrun --backend=cpu` and `cwrun --backend=opencl`, alternating the two backends per
# benchmark so that a change in machine load hits both alike.  Ratios above 1 mean OpenCL is faster.
#
# usage: bench/run-cpu-vs-pocl.sh [--build DIR] [--quick]
#   --build DIR   the meson build directory holding cwrun and the plugins (default: build)
#   --quick       smaller sizes and fewer repetitions (a smoke run)
#   BENCH_VERBOSE=1 also prints every measured value on stderr
# environment: CWRUN (cwrun to use).
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/common.sh"

build="$repo/build"
backends=""
bench_parse_args "$@" || exit 2
bench_setup_build "$build" || exit 1
if [ -n "$backends" ]; then
  echo "bench: this script always compares cpu with opencl (--backends is not used)" >&2
fi

if [ $quick -eq 1 ]; then
  vec_log2=20; vec_reps=5; gemm_n=128; gemm_reps=1
else
  vec_log2=24; vec_reps=20; gemm_n=512; gemm_reps=2
fi
for b in cpu opencl; do
  if ! bench_backend_present "$b"; then
    echo "bench: backend $b has no device here (cwrun --list-backends --backend=$b)" >&2
    exit 1
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/cw-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

failed=0
for b in cpu opencl; do  # first runs compile and cache each program: not timed
  for prog in saxpy sgemm reduce; do
    small="12 1"
    [ $prog = sgemm ] && small="32 1"
    # shellcheck disable=SC2086
    bench_run "$work/warm-$b-$prog" 600 "$CWRUN" --backend="$b" "$repo/bench/$prog.cu" -- $small ||
      failed=1
  done
done
for prog in saxpy sgemm reduce; do
  case $prog in
    sgemm) args="$gemm_n $gemm_reps" ;;
    *) args="$vec_log2 $vec_reps" ;;
  esac
  for b in cpu opencl; do
    # shellcheck disable=SC2086
    bench_run "$work/$b-$prog" 600 "$CWRUN" --backend="$b" "$repo/bench/$prog.cu" -- $args || failed=1
  done
done

echo "cpu-simd vs OpenCL on this CPU (2^$vec_log2 floats, SGEMM N=$gemm_n; opencl / cpu throughput)"
for prog in saxpy sgemm reduce; do
  c=$(bench_value "$work/cpu-$prog" "$prog")
  o=$(bench_value "$work/opencl-$prog" "$prog")
  unit=$(awk -v n="$prog" '$1 == "RESULT" && $2 == n { print $4; exit }' "$work/cpu-$prog" 2> /dev/null)
  printf '%-7s opencl / cpu: %s  (cpu %s %s, opencl %s %s)\n' "$prog" "$(bench_ratio "$o" "$c")" \
    "${c:-n/a}" "$unit" "${o:-n/a}" "$unit"
done
exit $failed
