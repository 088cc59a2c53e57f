#!/bin/sh
# cwrun --list-backends on the in-tree plugins: every plugin is listed as loaded with a probe
# result, and cpu-simd has a device.  Also checks cwrun's other fixed behaviours.
# Usage: cwrun-list-backends.sh CWRUN PLUGIN_PATH "NAME..." DEFAULT_CW_YAML
set -u
cwrun=$1
plugin_path=$2
names=$3
default_config=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A clean environment: no user or installed configuration, no installed plugins.
export HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" CW_SYSCONFDIR="$tmp/none"
unset CW_CONFIG CW_BACKEND CW_LOG
export CW_PLUGIN_PATH="$plugin_path"
fail() { echo "FAIL: $*"; echo "---- output:"; cat "$tmp/out"; exit 1; }

"$cwrun" --list-backends --verbose >"$tmp/out" 2>&1 || fail "cwrun --list-backends exited with $?"
cat "$tmp/out"
for n in $names; do
  grep -q "^$n [0-9][^ ]*  \(backend\|integration\)  " "$tmp/out" || fail "plugin $n not listed as loaded"
done
count=$(echo $names | wc -w)
[ "$count" -ge 1 ] || fail "no plugin names given"
# Each loaded plugin has a probe result: devices, "no device: why" or "not available: why".
probed=$(grep -c '^  \([0-9]* devices\?:\|no device: .\|not available: .\|probe failed: .\)' "$tmp/out")
[ "$probed" -eq "$count" ] || fail "expected $count probe results, found $probed"
grep -A2 '^cpu-simd ' "$tmp/out" >/dev/null || fail "cpu-simd missing"
awk '/^cpu-simd /{p=1} p&&/^  1 device:/{found=1} /^$/{p=0} END{exit !found}' "$tmp/out" \
  || fail "cpu-simd shows no device"
grep -q '^selected (before checking a program.s kernels): [a-z]' "$tmp/out" || fail "no selection line"

# The shipped cw.yaml is valid for every in-tree plugin (its sections match their keys).
"$cwrun" --config="$default_config" --list-backends >"$tmp/out" 2>&1 || fail "--config=cw.yaml exited $?"
grep -q "^configuration: $default_config" "$tmp/out" || fail "default cw.yaml not used"
! grep -q 'not loaded: configuration' "$tmp/out" || fail "default cw.yaml does not validate"

# A program that does not exist: exit status 1 and a message naming it.
"$cwrun" "$tmp/app.cu" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] || fail "cwrun app.cu (missing) exited $rc, expected 1"
grep -q "app.cu: no such file" "$tmp/out" || fail "no message naming the missing app.cu"
# No program at all: a usage error (2).
"$cwrun" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 2 ] || fail "cwrun without a program exited $rc, expected 2"
# A missing --config file is an error naming it.
"$cwrun" --config="$tmp/missing.yaml" --list-backends >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] || fail "--config=missing exited $rc, expected 1"
grep -q "missing.yaml: configuration file not found" "$tmp/out" || fail "no message for missing config"
# A bad key in a file is reported with file:line.
printf 'backend: auto\nfallbak_order: [cpu]\n' >"$tmp/bad.yaml"
"$cwrun" --config="$tmp/bad.yaml" --list-backends >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] || fail "bad config exited $rc, expected 1"
grep -q "bad.yaml:2: unknown key 'fallbak_order' (did you mean 'fallback_order'?)" "$tmp/out" || fail "bad key message"
# Usage errors exit 2.
"$cwrun" --bogus >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--bogus exited $rc, expected 2"
"$cwrun" --version >"$tmp/out" 2>&1 || fail "--version failed"
grep -q '^cwrun .* (plugin ABI 1\.' "$tmp/out" || fail "--version output"
echo "ok: $count plugins listed"
