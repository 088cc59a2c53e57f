#!/bin/sh
# cwcc end to end as far as the host side goes: options, errors with file:line:col, a .cu compiled
# to an object that embeds and registers its device module, dependencies (-M).
# usage: test_cwcc_driver.sh CWCC
set -u
CWCC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v "${CXX:-c++}" >/dev/null 2>&1 || { echo "no host C++ compiler: skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME="$T/cache" XDG_CONFIG_HOME="$T/config" CW_CONFIG=
unset CW_CONFIG
cd "$T" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

# unknown option: exit 1, names the option
"$CWCC" --frobnicate x.cu 2>err.txt && fail "unknown option accepted"
grep -q "unknown option '--frobnicate'" err.txt || fail "unknown option message: $(cat err.txt)"

# missing input
"$CWCC" -c missing.cu 2>err.txt && fail "missing file accepted"
grep -q "missing.cu: no such file" err.txt || fail "missing file message: $(cat err.txt)"

mkdir -p inc
cat > inc/params.h <<'H'
#define N_PER_THREAD 2
H
cat > good.cu <<'H'
#include <cstdio>
#include "inc/params.h"
__constant__ float coef[2];
template <typename T> __global__ void scale(T *p, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) p[i] *= coef[0] * N_PER_THREAD;
}
__global__ void fill(float *p, int n) { int i = threadIdx.x; if (i < n) p[i] = 1; }
int main() {
  float *d = nullptr;
  fill<<<1, 32>>>(d, 32);
  scale<float><<<dim3(1, 1), dim3(32, 1, 1), 0, 0>>>(d, 32);
  printf("%s\n", cudaGetErrorString(cudaGetLastError()));
  return 0;
}
H
"$CWCC" -O2 -arch=sm_80 -gencode arch=compute_80,code=sm_80 -Xcompiler -Wall,-Wextra --use_fast_math \
  -lineinfo -c good.cu -o good.o 2>err.txt || fail "good.cu did not compile: $(cat err.txt)"
[ -s good.o ] || fail "no good.o"
if command -v nm >/dev/null 2>&1; then
  nm good.o | grep -q "U __cwRegisterModule" || fail "good.o does not register its module"
  nm good.o | grep -q "U __cwLaunch" || fail "good.o has no launch stub"
  nm good.o | grep -q "U __cwRegisterVar" || fail "good.o does not register coef"
fi

# -M lists the user header
"$CWCC" -M good.cu >deps.txt 2>err.txt || fail "-M failed: $(cat err.txt)"
grep -q "^good.o: good.cu" deps.txt || fail "-M target: $(cat deps.txt)"
grep -q "inc/params.h" deps.txt || fail "-M header: $(cat deps.txt)"

# device code error: file:line:col from the front end, exit 1
cat > bad_device.cu <<'H'
#include <cstdio>
__global__ void k(float *p) {
  p[0] = no_such_name + 1;
}
int main() { k<<<1, 1>>>(nullptr); return 0; }
H
"$CWCC" -c bad_device.cu -o bad_device.o 2>err.txt && fail "device error accepted"
grep -q "bad_device.cu:3:" err.txt || fail "device error location: $(cat err.txt)"

# host code error: the host compiler's message names the user's file and line (#line)
cat > bad_host.cu <<'H'
__global__ void k(float *p) { p[0] = 1; }

int main() { int x = no_such_host_name; k<<<1, 1>>>(nullptr); return x; }
H
"$CWCC" -c bad_host.cu -o bad_host.o 2>err.txt && fail "host error accepted"
grep -q "bad_host.cu:3:" err.txt || fail "host error location: $(cat err.txt)"
grep -q "host compilation of bad_host.cu failed" err.txt || fail "host error summary: $(cat err.txt)"

# -c with -o and two inputs is a usage error
"$CWCC" -c good.cu bad_host.cu -o x.o 2>err.txt && fail "-c -o with two inputs accepted"
echo ok
exit 0
