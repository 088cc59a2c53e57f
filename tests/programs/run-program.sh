#!/usr/bin/env bash
# run-program.sh — runs one behaviour-test program through cwrun on one backend and checks it.
#
#   run-program.sh --cwrun PATH --backend NAME [--markers KEY] [--require] [--timeout SECONDS] PROG.cu
#
# --markers KEY: the marker files below are looked up as NAME.KEY.* instead of NAME.<backend>.*
# (a row that runs a backend in another configuration, e.g. opencl-buffers).
#
# Beside PROG.cu (NAME = its base name):
#   NAME.expected            exact expected stdout (required)
#   NAME.args                program arguments, whitespace-separated (optional)
#   NAME.exitcode            expected exit status (optional, default 0)
#   NAME.<backend>.declined  the backend is expected to decline this program; the file's first line
#                            is a substring of the reason that cwrun prints (empty: any reason).
#                            A program so marked that runs anyway fails, so stale marks get removed,
#                            unless a later line says `device-dependent` (only some devices decline,
#                            e.g. CPU OpenCL): then a run must pass like an unmarked one.
#   NAME.unsupported,        a known gap: the program uses a feature the project does not support yet.
#   NAME.<backend>.unsupported  The first line is a substring of the clear error cwrun must print
#                            (e.g. "texture"); the run must fail with it, not crash.  A program so
#                            marked that passes fails the test, so the mark is removed once it works.
#
# Exit status (meson's conventions): 0 pass, 1 fail, 77 skip (the backend has no device here and
# --require was not given), 99 the test itself is broken (missing files, bad usage).
#
# CW_TEST_REQUIRE (environment): backends, separated by commas or spaces, that must be present, as if
# --require had been given (CI: CW_TEST_REQUIRE=cpu,opencl,vulkan).
#
# Presence is decided by `cwrun --list-backends --backend=NAME`, whose last part says
# "selected[ (...)]: <plugin> device N (...)" or "selected: none: <why>".  A decline is recognised on
# stderr: the runtime says "backend '<plugin>' (requested) cannot be used: ... <reason>" or
# "backend <plugin> declined: <reason>" (or "(CW_BACKEND)", "(config)": where the choice came from).
set -u

usage() {
  echo "usage: $0 --cwrun PATH --backend NAME [--markers KEY] [--require] [--timeout SECONDS] PROG.cu" >&2
  exit 99
}

cwrun=""
backend=""
markers=""
require=0
timeout_s=120
prog=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cwrun) [ $# -ge 2 ] || usage; cwrun="$2"; shift 2 ;;
    --cwrun=*) cwrun="${1#--cwrun=}"; shift ;;
    --backend) [ $# -ge 2 ] || usage; backend="$2"; shift 2 ;;
    --backend=*) backend="${1#--backend=}"; shift ;;
    --markers) [ $# -ge 2 ] || usage; markers="$2"; shift 2 ;;
    --markers=*) markers="${1#--markers=}"; shift ;;
    --require) require=1; shift ;;
    --timeout) [ $# -ge 2 ] || usage; timeout_s="$2"; shift 2 ;;
    --timeout=*) timeout_s="${1#--timeout=}"; shift ;;
    -h|--help) usage ;;
    -*) echo "$0: unknown option $1" >&2; usage ;;
    *) [ -z "$prog" ] || usage; prog="$1"; shift ;;
  esac
done
if [ -z "$cwrun" ] || [ -z "$backend" ] || [ -z "$prog" ]; then usage; fi
req="${CW_TEST_REQUIRE:-}"
for b in ${req//,/ }; do
  [ "$b" = "$backend" ] && require=1
done
[ -x "$cwrun" ] || { echo "$0: cwrun not executable: $cwrun" >&2; exit 99; }
[ -f "$prog" ] || { echo "$0: no such program: $prog" >&2; exit 99; }

dir=$(dirname "$prog")
name=$(basename "$prog" .cu)
expected="$dir/$name.expected"
[ -f "$expected" ] || { echo "$0: missing $expected" >&2; exit 99; }

want_status=0
if [ -f "$dir/$name.exitcode" ]; then
  want_status=$(tr -d ' \t\r\n' < "$dir/$name.exitcode")
  case "$want_status" in ''|*[!0-9]*) echo "$0: bad $dir/$name.exitcode" >&2; exit 99 ;; esac
fi
args=()
if [ -f "$dir/$name.args" ]; then
  read -r -a args < "$dir/$name.args"
fi
markers="${markers:-$backend}"
declined_file="$dir/$name.$markers.declined"

work=$(mktemp -d "${TMPDIR:-/tmp}/cw-prog.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

# 1. Is there a device for this backend here?
"$cwrun" --list-backends --backend="$backend" > "$work/list" 2> "$work/list.err"
selected=$(grep -E '^selected( \([^)]*\))?: ' "$work/list" | tail -n 1)
if [ -z "$selected" ] || [[ "$selected" =~ ^selected[^:]*:\ none ]]; then
  if [ $require -eq 1 ]; then
    echo "FAIL: backend $backend is required but not usable here:"
    echo "  ${selected:-cwrun --list-backends printed no selection}"
    sed 's/^/  /' "$work/list.err"
    exit 1
  fi
  echo "SKIP: backend $backend has no device here: ${selected#*: none: }"
  exit 77
fi

# 2. Run the program.
status=0
timeout --kill-after=10 "$timeout_s" \
  "$cwrun" --backend="$backend" "$prog" -- "${args[@]}" \
  < /dev/null > "$work/stdout" 2> "$work/stderr" || status=$?

if [ $status -eq 124 ] || [ $status -eq 137 ]; then
  echo "FAIL: $name on $backend timed out after ${timeout_s}s"
  sed 's/^/  stderr: /' "$work/stderr" | tail -n 20
  exit 1
fi

# 3. A decline: expected (the .declined file names the reason) or a failure.
decline_line=$(grep -E "backend '?[A-Za-z0-9_-]+'? (\([A-Za-z_ -]+\) cannot be used|declined)" "$work/stderr" | head -n 1)
if [ -n "$decline_line" ] && [ $status -ne 0 ]; then
  if [ -f "$declined_file" ]; then
    reason=$(head -n 1 "$declined_file")
    if [ -z "$reason" ] || grep -qF -- "$reason" "$work/stderr"; then
      echo "PASS: $name declined by $backend as expected: $decline_line"
      exit 0
    fi
    echo "FAIL: $name declined by $backend, but not for the expected reason '$reason':"
    sed 's/^/  stderr: /' "$work/stderr" | tail -n 20
    exit 1
  fi
  echo "FAIL: $name declined by $backend:"
  sed 's/^/  stderr: /' "$work/stderr" | tail -n 20
  exit 1
fi
if [ -f "$declined_file" ] && ! tail -n +2 "$declined_file" | grep -qx 'device-dependent'; then
  echo "FAIL: $name was expected to be declined by $backend ($(head -n 1 "$declined_file")) but ran" \
       "(exit $status); remove $declined_file if the backend now supports it"
  exit 1
fi

# 3b. A known gap: cwrun must fail with the clear message the marker names.
unsupported_file=""
for f in "$dir/$name.$markers.unsupported" "$dir/$name.unsupported"; do
  if [ -f "$f" ]; then unsupported_file=$f; break; fi
done
if [ -n "$unsupported_file" ]; then
  reason=$(head -n 1 "$unsupported_file")
  if [ $status -ne 0 ] && [ $status -lt 128 ] && grep -qF -- "$reason" "$work/stderr"; then
    echo "PASS (known gap): $name on $backend fails with the expected message: $(grep -F -m1 -- "$reason" "$work/stderr")"
    exit 0
  fi
  if [ $status -eq 0 ] && cmp -s "$expected" "$work/stdout"; then
    echo "FAIL: $name now passes on $backend: remove $unsupported_file"
  else
    echo "FAIL: $name on $backend should fail with a message containing '$reason' (exit $status):"
  fi
  sed 's/^/  stderr: /' "$work/stderr" | tail -n 20
  exit 1
fi

# 4. Compare output and exit status.
ok=1
if ! diff -u --label "$name.expected" --label "$name (stdout on $backend)" \
      "$expected" "$work/stdout" > "$work/diff"; then
  echo "FAIL: $name on $backend: stdout differs from $name.expected:"
  cat "$work/diff"
  ok=0
fi
if [ "$status" -ne "$want_status" ]; then
  echo "FAIL: $name on $backend exited with $status, expected $want_status"
  ok=0
fi
if [ $ok -eq 0 ]; then
  echo "--- stderr (last 30 lines) ---"
  tail -n 30 "$work/stderr"
  exit 1
fi
echo "PASS: $name on $backend"
exit 0
