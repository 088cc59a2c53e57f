#!/usr/bin/env bash
# gpu-pack.sh — the small tree that travels to the GPU machine for bench/gpu-all.sh: from a build
# directory, only what runs there (libcw, cwrun, cwcc, the backend plugins), stripped, in the
# build's own layout (binaries find libcw through $ORIGIN-relative rpaths).
#
#   bench/gpu-pack.sh [BUILD] [PACK]     defaults: build-lead build-gpu-pack
set -eu
build="${1:-build-lead}"
pack="${2:-build-gpu-pack}"
rm -rf "$pack"
mkdir -p "$pack"
for f in core/libcw.so core/libcw.so.0 core/libcw.so.0.1.0 core/tools/cwrun core/tools/cwcc \
         plugins/cuda/cw-cuda.so plugins/vulkan/cw-vulkan.so plugins/opencl/cw-opencl.so \
         plugins/cpu-simd/cw-cpu-simd.so bench/parse_bench; do
  [ -e "$build/$f" ] || continue
  mkdir -p "$pack/$(dirname "$f")"
  cp -a "$build/$f" "$pack/$f"
done
for f in $(find "$pack" -type f); do
  file "$f" | grep -q ELF && strip --strip-unneeded "$f" 2>/dev/null || true
done
du -sh "$pack"
