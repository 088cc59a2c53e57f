#!/usr/bin/env bash
# gpu-start.sh — cold and warm `cwrun` start on the GPU machine: the wall time of
# `cwrun --backend=B tests/programs/saxpy.cu` with an empty cache (front end, host compile, NVRTC,
# module load) and again with everything cached, next to the program's own run time as the
# native build (nvcc) of the same file.  Uses the environment gpu-all.sh sets up (source it first
# with PARTS=none), prints medians of 5 warm runs.
set -u
b=${1:-cuda}
prog=tests/programs/saxpy.cu
ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
"$nvcc" -O3 -arch=sm_90 -o /tmp/saxpy-native "$prog" 2>/dev/null
native=$(for i in 1 2 3 4 5; do ms /tmp/saxpy-native; done | median)
rm -rf "$XDG_CACHE_HOME/cw"
cold=$(ms "$cwrun" --backend="$b" "$prog")
warm=$(for i in 1 2 3 4 5; do ms "$cwrun" --backend="$b" "$prog"; done | median)
echo "cwrun start on $b: cold ${cold} ms, warm ${warm} ms (median of 5); native program alone ${native} ms;" \
     "warm overhead $((warm - native)) ms"
