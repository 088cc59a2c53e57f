#!/bin/sh
# The plugin ABI as a third party sees it: install the project into a temporary DESTDIR, build
# the sample plugin with nothing but `pkg-config cw-plugin` from that install, and check that
# the installed cwrun lists it (and the installed in-tree plugins) with its device.
# Usage: run-test.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/out" ] && { echo "---- output:"; cat "$tmp/out"; }; exit 1; }

# 1. Install (the build is already up to date: meson test built it).
meson install -C "$build" --destdir "$tmp/dest" --no-rebuild --quiet >"$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log"; fail "meson install"; }
pc=$(find "$tmp/dest" -name cw-plugin.pc | head -n1)
[ -n "$pc" ] || fail "cw-plugin.pc not installed"
export PKG_CONFIG_PATH="$(dirname "$pc")"
# Where the files would be without DESTDIR ...
libdir=$(pkg-config --variable=libdir cw-plugin)
plugindir=$(pkg-config --variable=plugindir cw-plugin)
prefix=$(pkg-config --variable=prefix cw-plugin)
# ... and the .pc relocated to where they are (what a packager's staging area looks like).
mkdir -p "$tmp/pkgconfig"
for f in "$(dirname "$pc")"/cw*.pc; do
  sed "s|^prefix=.*|prefix=$tmp/dest$prefix|" "$f" >"$tmp/pkgconfig/$(basename "$f")"
done
export PKG_CONFIG_PATH="$tmp/pkgconfig"
[ -f "$tmp/dest$libdir/libcw.so" ] || fail "libcw.so not in $tmp/dest$libdir"
[ -f "$tmp/dest$plugindir/cw-cpu-simd.so" ] || fail "plugins not installed into plugindir $plugindir"
[ -f "$tmp/dest$prefix/share/cw/cw.yaml" ] || fail "cw.yaml not installed"
[ -f "$tmp/dest$prefix/include/cw/cw-plugin.h" ] || fail "cw-plugin.h not installed"

# 2. Build the sample exactly as its comment says, from a copy outside the source tree.
cp "$src/tests/plugin-abi/sample-plugin.c" "$tmp/"
mkdir -p "$tmp/plugins"
${CC:-cc} -Wall -Wextra -Werror -shared -fPIC -o "$tmp/plugins/cw-sample.so" "$tmp/sample-plugin.c" \
  $(pkg-config --cflags --libs cw-plugin) || fail "building the sample plugin"
# It needs libcw only for helpers, and must export exactly one CUDA-WASM symbol.
nm -D --defined-only "$tmp/plugins/cw-sample.so" | grep -q ' T cw_plugin_describe$' \
  || fail "cw_plugin_describe not exported"

# 3. The installed cwrun lists it.
export LD_LIBRARY_PATH="$tmp/dest$libdir"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/config" XDG_CACHE_HOME="$tmp/home/cache"
export CW_SYSCONFDIR="$tmp/dest$prefix/share/cw"
export CW_PLUGIN_PATH="$tmp/plugins:$tmp/dest$plugindir"
unset CW_CONFIG CW_BACKEND CW_LOG
cwrun="$tmp/dest$prefix/bin/cwrun"
"$cwrun" --list-backends >"$tmp/out" 2>&1 || fail "cwrun --list-backends"
cat "$tmp/out"
grep -q "^configuration: $CW_SYSCONFDIR/cw.yaml" "$tmp/out" || fail "installed cw.yaml not used"
grep -q "^sample 1.0  backend  $tmp/plugins/cw-sample.so" "$tmp/out" || fail "sample plugin not listed"
grep -q '^    \[0\] sample device$' "$tmp/out" || fail "sample device not listed"
grep -q '^cpu-simd [0-9.]*  backend  ' "$tmp/out" || fail "installed cpu-simd not listed"

# 4. Its config section is validated against its declared keys.
printf 'sample:\n  label: my card\n' >"$tmp/ok.yaml"
"$cwrun" --config="$tmp/ok.yaml" --list-backends --backend=sample >"$tmp/out" 2>&1 || fail "label config"
grep -q '^    \[0\] my card$' "$tmp/out" || fail "config label not used"
grep -q '^selected (before checking a program.s kernels): sample device 0' "$tmp/out" || fail "forced sample"
printf 'sample:\n  lable: x\n' >"$tmp/bad.yaml"
"$cwrun" --config="$tmp/bad.yaml" --list-backends >"$tmp/out" 2>&1 || true
grep -q "bad.yaml:2: unknown key 'lable' in section 'sample' (did you mean 'label'?)" "$tmp/out" \
  || fail "bad sample key not reported"
echo "ok: sample plugin built against the installed cw-plugin.pc and listed by cwrun"
