# shellcheck shell=bash
# bench/common.sh — helpers shared by run-cpu.sh and run-gpu.sh (sourced, not run).
#
# Every benchmark prints lines "RESULT <name> <value> <unit>"; these helpers run programs, pick
# those values out and turn pairs of them into ratios.

# bench_setup_build BUILD_DIR: sets CWRUN (unless already set) and CW_PLUGIN_PATH to the build tree's
# cwrun and plugin directories.
bench_setup_build() {
  local build="$1"
  : "${CWRUN:=$build/core/tools/cwrun}"
  local dirs="" d
  for d in "$build"/plugins/*/; do
    compgen -G "$d/cw-*.so" > /dev/null && dirs="${dirs:+$dirs:}${d%/}"
  done
  export CW_PLUGIN_PATH="${dirs}${CW_PLUGIN_PATH:+:$CW_PLUGIN_PATH}"
  if [ ! -x "$CWRUN" ]; then
    echo "bench: no cwrun at $CWRUN (build first, or set CWRUN)" >&2
    return 1
  fi
}

# bench_backend_present NAME: true when cwrun can select a device of that backend here.
bench_backend_present() {
  local sel
  sel=$("$CWRUN" --list-backends --backend="$1" 2> /dev/null | grep -E '^selected( \([^)]*\))?: ' | tail -n 1)
  [ -n "$sel" ] && ! [[ "$sel" =~ ^selected[^:]*:\ none ]]
}

# bench_run OUTFILE TIMEOUT COMMAND...: runs a benchmark, keeps its output in OUTFILE; on failure
# says so on stderr (with the output's tail) and returns non-zero.
bench_run() {
  local out="$1" limit="$2"
  shift 2
  if ! timeout --kill-after=10 "$limit" "$@" > "$out" 2>&1; then
    echo "bench: failed: $*" >&2
    tail -n 5 "$out" | sed 's/^/  /' >&2
    return 1
  fi
  if grep -q '^check FAILED' "$out"; then
    echo "bench: wrong results: $*" >&2
    return 1
  fi
  # BENCH_VERBOSE=1: show the measured values too (on stderr; stdout keeps only ratios).
  if [ "${BENCH_VERBOSE:-0}" = 1 ]; then
    grep '^RESULT ' "$out" | sed "s|^|  $(basename "$1"): |" >&2
  fi
}

# bench_value FILE NAME: the value of "RESULT NAME <value> <unit>" in FILE (empty when absent).
bench_value() {
  [ -f "$1" ] && awk -v n="$2" '$1 == "RESULT" && $2 == n { print $3; exit }' "$1"
}

# bench_ratio A B: "A/B" as "1.23x", or "n/a" when either is missing or B is zero.
bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2fx\n", a / b }'
}

# bench_parse_args ARGS...: the scripts' common options; sets build, backends (defaults kept from
# the caller) and quick.  Returns 1 (after a usage line) on an unknown option.
bench_parse_args() {
  quick=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --build) build="$2"; shift 2 ;;
      --build=*) build="${1#--build=}"; shift ;;
      --backends) backends="$2"; shift 2 ;;
      --backends=*) backends="${1#--backends=}"; shift ;;
      --quick) quick=1; shift ;;
      *) echo "usage: $0 [--build DIR] [--backends LIST] [--quick]" >&2; return 1 ;;
    esac
  done
}
