#!/bin/sh
# cwcc -rdc=true: device functions and __device__ variables used across .cu files (separate
# compilation to objects, then one link; and one command), run on the cpu backend; two static
# device functions of one name in two files stay apart.
# usage: test_cwcc_rdc.sh CWCC CPU_PLUGIN_DIR
set -u
CWCC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v "${CXX:-c++}" >/dev/null 2>&1 || { echo "no host C++ compiler: skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME="$T/cache" XDG_CONFIG_HOME="$T/config" CW_PLUGIN_PATH="$2" CW_BACKEND=cpu
unset CW_CONFIG
cd "$T" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

cat > common.h <<'H'
#pragma once
struct Pair { float a, b; };
__device__ inline float sum(Pair p) { return p.a + p.b; }
H
cat > main.cu <<'H'
#include <cstdio>
#include "common.h"
extern __device__ float scale(float x);
extern __device__ int counter;
static __device__ int bump(int x) { return x + 1; }
__global__ void k(float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  Pair p = {(float)bump(i), 0.5f};
  if (i < n) out[i] = scale(sum(p));
  if (i == 0) atomicAdd(&counter, 1);
}
int other(void);
int main() {
  float *d, h[4];
  cudaMalloc(&d, sizeof h);
  k<<<1, 4>>>(d, 4);
  cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
  printf("k: %g %g %g %g (%s)\n", h[0], h[1], h[2], h[3], cudaGetErrorName(cudaGetLastError()));
  return other();
}
H
cat > other.cu <<'H'
#include <cstdio>
#include "common.h"
__device__ int counter = 40;
__device__ float scale(float x) { Pair p = {x, x}; return sum(p); }
__global__ void kb(int *out) { *out = counter; }
int other(void) {
  int *d, h = 0;
  cudaMalloc(&d, sizeof h);
  kb<<<1, 1>>>(d);
  cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost);
  printf("kb: %d\n", h);
  return 0;
}
H
want="k: 3 5 7 9 (cudaSuccess)
kb: 41"

# without -rdc, main.cu's use of scale is an error naming it
"$CWCC" -c main.cu -o main.o 2>err.txt && fail "main.cu compiled without -rdc"
grep -q "main.cu:.*'scale'.*not defined in this translation unit" err.txt || fail "no -rdc: $(cat err.txt)"

# separate compilation: -rdc=true -c, and -dc, then a link of the objects
"$CWCC" -rdc=true -c main.cu -o main.o 2>err.txt || fail "-rdc=true -c main.cu: $(cat err.txt)"
"$CWCC" -dc other.cu -o other.o 2>err.txt || fail "-dc other.cu: $(cat err.txt)"
"$CWCC" main.o other.o -o app 2>err.txt || fail "link: $(cat err.txt)"
out=$(./app 2>err.txt) || fail "app exited $?: $out $(cat err.txt)"
[ "$out" = "$want" ] || fail "app printed: $out ($(cat err.txt))"

# one command, the files in the other order (registration order must not matter)
"$CWCC" --relocatable-device-code true other.cu main.cu -o app2 2>err.txt || fail "one command: $(cat err.txt)"
out=$(./app2 2>err.txt) || fail "app2 exited $?: $out $(cat err.txt)"
[ "$out" = "$want" ] || fail "app2 printed: $out ($(cat err.txt))"

# a bad -rdc value
"$CWCC" -rdc=maybe -c main.cu -o x.o 2>err.txt && fail "-rdc=maybe accepted"
grep -q "true or false" err.txt || fail "-rdc=maybe: $(cat err.txt)"

# static device functions of one name in two files: each file calls its own
sed 's/__device__ int counter = 40;/__device__ int counter = 40;\nstatic __device__ int bump(int x) { return x * 10; }/; s/\*out = counter;/*out = counter + bump(0);/' other.cu > other2.cu
grep -q "bump(0)" other2.cu || fail "sed did not make other2.cu"
"$CWCC" -rdc=true main.cu other2.cu -o app3 2>err.txt || fail "app3 build: $(cat err.txt)"
out=$(./app3 2>err.txt) || fail "app3 exited $?: $out $(cat err.txt)"
[ "$out" = "$want" ] || fail "app3 printed: $out ($(cat err.txt))"
echo "PASS"
