#!/usr/bin/env bash
# gpu-cuda-pack.sh — makes the small tree that travels to the GPU machine for gpu-cuda-check.sh:
# from a build directory, only what runs there (libcw, the cuda plugin (and cpu-simd, for a dry
# run of the script here), the cuda unit tests, cwrun), stripped, in the build's own layout (the binaries find libcw through
# $ORIGIN-relative rpaths), plus CMocka's runtime library, which that machine lacks.
#
#   bench/gpu-cuda-pack.sh [BUILD] [PACK]     defaults: build-gpu build-gpu-pack
set -eu
build="${1:-build-gpu}"
pack="${2:-build-gpu-pack}"
rm -rf "$pack"
mkdir -p "$pack/extra-libs"
copy() {  # copy BUILD-relative path into the pack, keeping its place
  [ -e "$build/$1" ] || return 0
  mkdir -p "$pack/$(dirname "$1")"
  cp -a "$build/$1" "$pack/$1"
}
for f in core/libcw.so core/libcw.so.0 core/libcw.so.0.1.0 plugins/cuda/cw-cuda.so \
         plugins/cpu-simd/cw-cpu-simd.so \
         tests/unit/cuda/cuda-test_probe tests/unit/cuda/cuda-test_nvrtc tests/unit/cuda/cuda-test_gpu \
         core/tools/cwrun core/tools/cwcc; do
  copy "$f"
done
find "$pack" -type f \( -name '*.o' -o -name '*.a' -o -name '*.d' \) -delete
find "$pack" -type d -name '*.p' -prune -exec rm -rf {} +
for f in $(find "$pack" -type f -perm -u+x) "$pack"/core/libcw.so.*; do
  [ -f "$f" ] && file "$f" | grep -q ELF && strip --strip-unneeded "$f" 2>/dev/null || true
done
cp -a /usr/lib/x86_64-linux-gnu/libcmocka.so.0* "$pack/extra-libs/"
du -sh "$pack"
