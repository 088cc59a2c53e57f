#!/bin/sh
# cwrun --emit: a kernel template launched only from a host template is instantiated at run time,
# so --emit names no kernel for it and says so; --instantiate='k<float>' emits that instantiation
# (core/driver/emit.c, cwrun_glue.c); a template-id that names nothing is reported, not a crash.
# usage: test_emit_instantiate.sh CWRUN
set -u
CWRUN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME="$T/cache" XDG_CONFIG_HOME="$T/config"
unset CW_CONFIG CW_BACKEND CW_PLUGIN_PATH
fail() { echo "FAIL: $*"; exit 1; }
cat > "$T/t.cu" <<'H'
template <typename T, int N>
__global__ void scale(T *x) { x[threadIdx.x] *= (T)N; }
template <typename T>
void run(T *d) { scale<T, 3><<<1, 32>>>(d); }
int main() { float *d; cudaMalloc(&d, 128); run(d); return 0; }
H

"$CWRUN" --emit=ir "$T/t.cu" >"$T/plain" 2>"$T/err" || fail "--emit=ir: $(cat "$T/err")"
grep -q "^kernels:" "$T/plain" && fail "a kernel without --instantiate: $(cat "$T/plain")"
grep -q "instantiated when the program runs: name one with --instantiate=" "$T/err" ||
  fail "no note about --instantiate: $(cat "$T/err")"

"$CWRUN" --instantiate='scale<float,3>' --instantiate='scale<double, 2>' --emit=ir "$T/t.cu" \
  >"$T/two" 2>"$T/err" || fail "--instantiate: $(cat "$T/err")"
grep -q "^kernels: scale_float_3 scale_double_2$" "$T/two" || fail "instantiations: $(grep kernels "$T/two")"
grep -q "note:" "$T/err" && fail "note printed although kernels were emitted: $(cat "$T/err")"

"$CWRUN" --instantiate='nosuch<int>' --emit=ir "$T/t.cu" >/dev/null 2>"$T/err" ||
  fail "an unknown template-id stopped --emit: $(cat "$T/err")"
grep -q "nosuch<int>" "$T/err" || fail "the unknown template-id is not named: $(cat "$T/err")"
echo "ok"
