#!/usr/bin/env bash
# gpu-cuda-check.sh — the cuda backend on a real NVIDIA GPU, in one go (for the device machine,
# which lacks GLib/libyaml/CMocka: their Debian runtime libraries travel in .device-carry and
# the pack).  Run from the repository root:
#
#   bench/gpu-cuda-check.sh [PACK]        PACK: a build tree (default build-gpu-pack) made by
#                                         bench/gpu-cuda-pack.sh, with the same layout as the build
#   BACKEND=cpu-simd bench/gpu-cuda-check.sh   dry run of the programs part on the CPU backend
#
# cwrun outside its build tree finds the shim headers and libcw through CW_SHIM_DIR/CW_LIB_DIR,
# set here to the source tree's core/shim and the pack's core/.
#
# Prints: the GPU, the plugin's probe/NVRTC/GPU unit tests (with the launch rate, saxpy bandwidth,
# pinned copy rate they measure), then, when cwrun is in the pack, `cwrun --list-backends` and
# every tests/programs/*.cu through --backend=cuda with a pass/fail/skip count.  Logs go to
# $OUT (when set) as well.
set -u
pack="${1:-build-gpu-pack}"
root="$PWD"
out="${OUT:-/tmp/gpu-cuda-check}"
mkdir -p "$out"
export LD_LIBRARY_PATH="$root/.device-carry/root/usr/lib/x86_64-linux-gnu:$root/.device-carry/root/lib/x86_64-linux-gnu:$root/$pack/extra-libs:${LD_LIBRARY_PATH:-}"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-/tmp/cw-cache}"
export CW_PLUGIN_PATH="$root/$pack/plugins/cuda:$root/$pack/plugins/cpu-simd"
export CW_SHIM_DIR="$root/core/shim" CW_LIB_DIR="$root/$pack/core"
export LD_LIBRARY_PATH="$root/$pack/core:$LD_LIBRARY_PATH"
backend="${BACKEND:-cuda}"
# GCC 13's libstdc++ spells __attribute__((__noinline__)) in more headers than core/shim's
# host_defines.h guards against (it pre-includes only <memory>), so every host compile fails
# there.  Until the shim is fixed, include the whole standard library before the shim.
export CW_CXX="${CW_CXX:-c++ -include bits/stdc++.h}"
export CW_LOG="${CW_LOG:-warn}"

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -4
ls -l /usr/lib/x86_64-linux-gnu/libcuda.so.1 /usr/local/cuda/lib64/libnvrtc.so* 2>&1 | head -4

status=0
[ -n "${SKIP_UNIT:-}" ] || for t in test_probe test_nvrtc test_gpu; do
  exe="$pack/tests/unit/cuda/cuda-$t"
  echo "== $t"
  if [ -x "$exe" ]; then
    start=$(date +%s.%N)
    "$exe" 2>&1 | tee "$out/$t.log"
    rc=${PIPESTATUS[0]}
    echo "-- $t: exit $rc ($(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?') s)"
    [ "$rc" = 0 ] || status=1
  else
    echo "-- $t: not in the pack"
  fi
done

# Which status each kind of device-side failure reaches programs with (one process each: sticky).
if [ -z "${SKIP_UNIT:-}" ] && [ -x "$pack/tests/unit/cuda/cuda-test_gpu" ]; then
  for kind in ir-assert assertfail trap; do
    "$pack/tests/unit/cuda/cuda-test_gpu" --fault "$kind" 2>&1 | tail -3 | tee -a "$out/faults.log"
  done
fi

cwrun="$pack/core/tools/cwrun"
if [ -x "$cwrun" ]; then
  echo "== cwrun --list-backends"
  "$cwrun" --list-backends 2>&1 | head -30
  echo "== tests/programs --backend=$backend"
  pass=0 fail=0 skip=0 failed=""
  for p in tests/programs/*.cu; do
    name=$(basename "$p" .cu)
    log="$out/programs.log"
    echo "---- $name" >>"$log"
    tests/programs/run-program.sh --cwrun "$cwrun" --backend "$backend" --require --timeout 60 "$p" >>"$log" 2>&1
    case $? in
      0) pass=$((pass + 1)) ;;
      77) skip=$((skip + 1)) ;;
      *) fail=$((fail + 1)); failed="$failed $name" ;;
    esac
  done
  echo "programs on $backend: $pass passed, $fail failed, $skip skipped"
  [ -z "$failed" ] || echo "failed:$failed"
  # The first lines of each failure, for the report.
  for name in $failed; do
    echo "---- $name"
    sed -n "/^---- $name\$/,/^---- /p" "$out/programs.log" | sed '1d;$d' | head -12
  done
else
  echo "== cwrun not in the pack: programs not run"
fi
exit $status
