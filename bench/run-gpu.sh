#!/usr/bin/env bash
# bench/run-gpu.sh — the benchmarks on an NVIDIA GPU machine: each bench/*.cu compiled natively with
# nvcc, then run through `cwrun --backend=B` for B in cuda, vulkan, opencl (those with a device),
# printed as ratios to native, e.g.
#     saxpy   cuda / native: 0.97x; vulkan / native: 0.85x
#
# Run from anywhere; paths are taken relative to the repository:
#   build-gpu/            the meson build directory (cwrun, libcw, plugins) built for that machine
#   .device-carry/lib/    shared libraries the build needs there (GLib, libyaml, loaders, ...)
#
# usage: bench/run-gpu.sh [--build DIR] [--backends "cuda vulkan opencl"] [--quick]
# environment: NVCC (default nvcc, else /usr/local/cuda/bin/nvcc), NVCC_ARCH (default sm_90), CWRUN,
#   BENCH_VERBOSE=1 (also print every measured value, on stderr).
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/common.sh"

build="$repo/build-gpu"
backends="cuda vulkan opencl"
bench_parse_args "$@" || exit 2

export LD_LIBRARY_PATH="$repo/.device-carry/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The NVIDIA Vulkan ICD and OpenCL library are installed but not always registered.
nv_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$nv_icd" ]; then
  export VK_DRIVER_FILES="$nv_icd"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/cw-bench-gpu.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
if [ -z "${OCL_ICD_VENDORS:-}" ] && [ ! -d /etc/OpenCL/vendors ] && ldconfig -p | grep -q libnvidia-opencl.so.1; then
  mkdir -p "$work/vendors"
  echo libnvidia-opencl.so.1 > "$work/vendors/nvidia.icd"
  export OCL_ICD_VENDORS="$work/vendors"
fi

nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
arch=${NVCC_ARCH:-sm_90}
have_cwrun=1
bench_setup_build "$build" || have_cwrun=0

if [ $quick -eq 1 ]; then
  vec_log2=22; vec_reps=10; gemm_n=1024; gemm_reps=2; red_log2=24; launches=2000; copy_log2=24
else
  vec_log2=24; vec_reps=50; gemm_n=4096; gemm_reps=5; red_log2=28; launches=20000; copy_log2=28
fi
declare -A bench_args=(
  [saxpy]="$vec_log2 $vec_reps"
  [sgemm]="$gemm_n $gemm_reps"
  [reduce]="$red_log2 $vec_reps"
  [empty_launch]="$launches"
  [memcpy]="$copy_log2 $vec_reps"
)
benches="saxpy sgemm reduce memcpy empty_launch"

# Native runs.
for p in $benches; do
  if "$nvcc" -O3 -arch="$arch" -o "$work/$p" "$repo/bench/$p.cu" 2> "$work/$p.nvcc"; then
    # shellcheck disable=SC2086
    bench_run "$work/native-$p" 600 "$work/$p" ${bench_args[$p]}
  else
    echo "bench: nvcc failed on bench/$p.cu:" >&2
    tail -n 5 "$work/$p.nvcc" >&2
  fi
done

# Through cwrun.
present=""
if [ $have_cwrun -eq 1 ]; then
  for b in $backends; do
    if bench_backend_present "$b"; then
      present="$present $b"
    else
      echo "bench: backend $b has no device here; skipped" >&2
    fi
  done
fi
for b in $present; do
  for p in $benches; do
    # shellcheck disable=SC2086
    bench_run "$work/$b-$p" 600 "$CWRUN" --backend="$b" "$repo/bench/$p.cu" -- ${bench_args[$p]}
  done
done

echo "GPU benchmarks (2^$vec_log2-float saxpy, SGEMM N=$gemm_n, 2^$red_log2-float reduction, 2^$copy_log2-byte pinned copies; native: nvcc -O3 -arch=$arch)"
line() {  # line LABEL PROGRAM RESULT-NAME
  local out="" b
  local native
  native=$(bench_value "$work/native-$2" "$3")
  for b in $present; do
    out="${out:+$out; }$b / native: $(bench_ratio "$(bench_value "$work/$b-$2" "$3")" "$native")"
  done
  printf '%-8s%s\n' "$1" "${out:-no backend ran}"
}
line saxpy saxpy saxpy
line sgemm sgemm sgemm
line reduce reduce reduce
line memcpy memcpy memcpy
# Launch overhead is a time (lower is better): the ratio is how many times native's it is.
out=""
for b in $present; do
  out="${out:+$out; }$b: $(bench_ratio "$(bench_value "$work/$b-empty_launch" launch)" \
    "$(bench_value "$work/native-empty_launch" launch)") native's launch time"
done
printf '%-8s%s\n' launch "${out:-no backend ran}"
native_launch=$(bench_value "$work/native-empty_launch" launch)
[ -n "$native_launch" ] && echo "        (native: $native_launch us per launch)"
