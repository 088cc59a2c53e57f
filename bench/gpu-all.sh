#!/usr/bin/env bash
# gpu-all.sh — everything that needs the NVIDIA machine, in one call (device time is scarce):
#   1. the backends found there (cwrun --list-backends),
#   2. every tests/programs/*.cu through cuda, vulkan and opencl (pass/fail counts per backend),
#   3. the external corpus through cuda (its runner's pass count; nvcc-native passes all 39),
#   4. the benchmarks as ratios to the same programs built with nvcc (bench/run-gpu.sh).
# Run from the repository root, with these carried: build-gpu-pack (bench/gpu-pack.sh),
# .device-carry/root (Debian GLib/libyaml/loaders, dpkg -x'ed), .device-carry/corpus (a copy of
# ../shared/corpus) and .gl (Vulkan/GL loader debs, see the device tool's notes).
#   bench/gpu-all.sh [PACK] [PARTS]     PARTS: any of "list programs native corpus bench" (default:
#   all but native).  PROGRAM_BACKENDS: rows for programs (default "cuda vulkan opencl"; also
#   opencl-buffers, opencl-svm); CORPUS_ONLY: a comma-separated subset of the corpus; NATIVE_PROGRAMS: tests/programs names to build with nvcc and compare.
set -u
pack="${1:-build-gpu-pack}"
parts="${2:-list programs corpus bench}"
root="$PWD"
out="${OUT:-/tmp/gpu-all}"
mkdir -p "$out"

# Loaders: the Vulkan/GLVND libraries unpacked into / (the device notes' recipe), then our libs.
if command -v nvidia-smi > /dev/null; then  # only on the GPU machine: this writes into /
  for f in .gl/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done
  ldconfig 2>/dev/null || true
fi
carry="$root/.device-carry/root"
export LD_LIBRARY_PATH="$root/$pack/core:$carry/usr/lib/x86_64-linux-gnu:$carry/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-/tmp/cw-cache}"
export CW_PLUGIN_PATH="$root/$pack/plugins/cuda:$root/$pack/plugins/vulkan:$root/$pack/plugins/opencl:$root/$pack/plugins/cpu-simd"
export CW_SHIM_DIR="$root/core/shim" CW_LIB_DIR="$root/$pack/core"
export CW_LOG="${CW_LOG:-warn}"
# The NVIDIA OpenCL and Vulkan drivers are installed there but not registered.
if ldconfig -p | grep -q libnvidia-opencl.so.1; then
  mkdir -p /etc/OpenCL/vendors && echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
fi
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
cwrun="$root/$pack/core/tools/cwrun"
cwcc="$root/$pack/core/tools/cwcc"

case " $parts " in *" list "*)
  echo "== machine"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -2
  echo "== cwrun --list-backends"
  "$cwrun" --list-backends 2>&1 | grep -vE '^\s+(vendor|max block|memory)' | head -40
esac

run_programs() {  # row → one line of counts; logs in $out/programs-<row>.log
  # a row is a backend, or BACKEND-VARIANT run with tests/programs/config/BACKEND-VARIANT.yaml
  # (opencl-buffers, opencl-svm: OpenCL's address models)
  local b=$1 log="$out/programs-$1.log" backend=$1
  : > "$log"
  if [ -f "$root/tests/programs/config/$b.yaml" ]; then
    backend=${b%%-*}
    export CW_CONFIG="$root/tests/programs/config/$b.yaml"
  fi
  ls tests/programs/*.cu | xargs -P 6 -I{} sh -c \
    'tests/programs/run-program.sh --cwrun "$0" --backend "$1" --markers "$3" --require --timeout 120 "{}" > "$2/{}.$3.res" 2>&1; echo "$? {}"' \
    "$cwrun" "$backend" "$out" "$b" > "$out/status-$b.txt"
  unset CW_CONFIG
  local pass fail skip
  pass=$(grep -c '^0 ' "$out/status-$b.txt"); skip=$(grep -c '^77 ' "$out/status-$b.txt")
  fail=$(grep -vcE '^(0|77) ' "$out/status-$b.txt")
  echo "programs on $b: $pass passed, $fail failed, $skip skipped"
  grep -vE '^(0|77) ' "$out/status-$b.txt" | while read -r rc p; do
    echo "---- $p ($rc)"; head -n 8 "$out/$p.$b.res"
  done | tee -a "$log" | head -n 60
}
case " $parts " in *" programs "*)
  mkdir -p "$out/tests/programs"
  for b in ${PROGRAM_BACKENDS:-cuda vulkan opencl}; do run_programs "$b"; done
esac

case " $parts " in *" native "*)  # NATIVE_PROGRAMS: tests/programs built by nvcc against .expected
  for p in ${NATIVE_PROGRAMS:-}; do
    nvcc -O2 -arch=sm_90 -o "$out/native-$p" "tests/programs/$p.cu" > "$out/native-$p.log" 2>&1 &&
      "$out/native-$p" > "$out/native-$p.out" 2>> "$out/native-$p.log"
    if cmp -s "$out/native-$p.out" "tests/programs/$p.expected"; then echo "native $p: matches $p.expected"
    else echo "native $p: DIFFERS"; diff "tests/programs/$p.expected" "$out/native-$p.out" | head; tail -5 "$out/native-$p.log"; fi
  done
esac

case " $parts " in *" corpus "*)
  for cb in ${CORPUS_BACKEND:-cuda}; do  # one backend or a space-separated list
    echo "== corpus on $cb"
    python3 .device-carry/corpus/run --backend "$cb" --cwcc "$cwcc" --jobs 8 --timeout 300 ${CORPUS_ONLY:+--only "$CORPUS_ONLY"} \
      --logs "$out/corpus-logs-$cb" --out "$out/corpus-$cb.tsv" 2>&1 | grep -v ' PASS ' | tail -n 45
  done
esac

case " $parts " in *" start "*)
  for b in cuda vulkan opencl; do cwrun="$cwrun" bash bench/gpu-start.sh "$b"; done
esac

case " $parts " in *" bench "*)
  echo "== benchmarks (ratios to nvcc-native)"
  CWRUN="$cwrun" bench/run-gpu.sh --build "$root/$pack" --backends "cuda vulkan opencl" 2>&1 | tail -n 30
esac
exit 0
