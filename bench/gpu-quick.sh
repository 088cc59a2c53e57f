#!/usr/bin/env bash
# gpu-quick.sh — a short check on the GPU machine: chosen tests/programs and corpus programs on the
# given backends, with the same set-up as gpu-all.sh (run it from the repository root, same carry).
#   bench/gpu-quick.sh PACK "BACKENDS" "PROGRAMS" ["CORPUS_PROGRAMS"]
set -u
pack="$1"; backends="$2"; programs="$3"; corpus="${4:-}"
root="$PWD"
# the same loaders, paths and driver registration as gpu-all.sh
source <(sed -n '/^# Loaders/,/^cwcc=/p' bench/gpu-all.sh)
for b in $backends; do
  for p in $programs; do
    r=$(tests/programs/run-program.sh --cwrun "$cwrun" --backend "$b" --require --timeout 120 "tests/programs/$p.cu" 2>&1 | tail -1)
    echo "$b $p: $r"
  done
  if [ -n "$corpus" ]; then
    "$root/.device-carry/corpus/run" --backend "$b" --cwcc "$cwcc" --jobs 4 --timeout 300 --only "$corpus" 2>&1 | grep -vE "^(by feature|corpus:)" | grep -v '^$'
  fi
done
