#!/bin/sh
# --emit=FORMAT loads only the plugin that usually offers FORMAT (core/driver/emit_plugin.c), and
# still finds a format through the scan of every plugin when that plugin is absent.
# usage: test_emit_lazy.sh CWRUN CPU_PLUGIN_DIR OPENCL_PLUGIN_DIR
set -u
CWRUN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME="$T/cache" XDG_CONFIG_HOME="$T/config"
unset CW_CONFIG CW_BACKEND
fail() { echo "FAIL: $*"; exit 1; }
cat > "$T/k.cu" <<'H'
__global__ void k(float *p) { p[threadIdx.x] = 2.0f; }
H

# c: only cw-cpu-simd.so is loaded although opencl comes first in the path
CW_PLUGIN_PATH="$3:$2" CW_LOG=debug "$CWRUN" --emit=c "$T/k.cu" >"$T/out.c" 2>"$T/err" ||
  fail "--emit=c: $(cat "$T/err")"
grep -q "cw-cpu-simd.so: loaded" "$T/err" || fail "cpu-simd not loaded: $(cat "$T/err")"
grep -q "cw-opencl.so: loaded" "$T/err" && fail "opencl loaded for --emit=c: $(cat "$T/err")"
grep -q "2.0f\|2\.0" "$T/out.c" || fail "--emit=c printed no kernel: $(head -20 "$T/out.c")"

# opencl-c (the transpiler language) goes to the opencl plugin alone
CW_PLUGIN_PATH="$2:$3" CW_LOG=debug "$CWRUN" --emit=opencl-c "$T/k.cu" >"$T/out.cl" 2>"$T/err" ||
  fail "--emit=opencl-c: $(cat "$T/err")"
grep -q "cw-cpu-simd.so: loaded" "$T/err" && fail "cpu-simd loaded for --emit=opencl-c: $(cat "$T/err")"
grep -q "__kernel" "$T/out.cl" || fail "--emit=opencl-c printed no kernel: $(head -20 "$T/out.cl")"

# the usual plugin absent: the scan loads every plugin and names what is available
CW_PLUGIN_PATH="$2" CW_LOG=debug "$CWRUN" --emit=glsl "$T/k.cu" >/dev/null 2>"$T/err" &&
  fail "--emit=glsl without the vulkan plugin succeeded"
grep -q "unknown --emit format 'glsl'; available: .*c (cpu-simd)" "$T/err" ||
  fail "--emit=glsl message: $(cat "$T/err")"
echo "ok"
