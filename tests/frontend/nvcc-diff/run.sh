#!/bin/sh
# Differential check of the front end on an NVIDIA machine (not part of `meson test`):
# the kernels of semantics.cu compiled by nvcc from source, and from the front end's IR printed
# back as CUDA (fe-check --cuda), must produce bit-identical results.
#   tests/frontend/nvcc-diff/run.sh BUILD_DIR     (needs nvcc and a GPU)
set -e
B=${1:-build}
D=$(dirname "$0")
T=$(mktemp -d)
"$B/tests/unit/frontend/fe-check" --cuda "$D/semantics.cu" | tail -n +2 > "$T/semantics.gen.cu"
cp "$D/semantics.cu" "$D/harness.cu" "$T/"
cd "$T"
nvcc -arch=native -std=c++20 -w --expt-relaxed-constexpr -o orig harness.cu -DKERNELS='"semantics.cu"'
nvcc -arch=native -w -o gen harness.cu -DKERNELS='"semantics.gen.cu"'
./orig > orig.txt
./gen > gen.txt
if cmp -s orig.txt gen.txt; then echo "same results ($(wc -l < orig.txt) values)"; else diff orig.txt gen.txt | head -40; exit 1; fi
