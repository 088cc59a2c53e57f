#!/usr/bin/env bash
# Installs the Debian 12 packages CUDA-WASM needs to build and test: only the missing ones,
# with `apt-get update` only when something is missing, and sudo only when not root.
set -euo pipefail

packages=(
  meson ninja-build pkg-config gcc g++
  libglib2.0-dev libyaml-dev libcmocka-dev
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo
  mesa-vulkan-drivers libvulkan-dev libshaderc-dev glslang-tools spirv-tools
  libze-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done

# Debian 12's Mesa 22.3 lavapipe ends every loop of a shader invocation once that invocation has
# run 65535 loop iterations in all (llvmpipe's loop limiter): long-running kernels give silently
# wrong results.  bookworm-backports' Mesa (25.x) has no such limit, so on Debian 12 lavapipe
# comes from there.
backports_mesa=false
codename=$( (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true)
if [ "$codename" = bookworm ]; then
  mesa=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
  if [ -z "$mesa" ] || dpkg --compare-versions "$mesa" lt 24; then
    backports_mesa=true
    missing=("${missing[@]/mesa-vulkan-drivers/}")
  fi
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if [ ${#missing[@]} -eq 0 ] && ! $backports_mesa; then
  echo "bootstrap: all ${#packages[@]} packages are installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "bootstrap: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
  exit 1
fi

if $backports_mesa && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "bootstrap: adding bookworm-backports (for mesa-vulkan-drivers without the loop limit)"
  echo "deb http://deb.debian.org/debian bookworm-backports main" |
    "${sudo[@]}" tee /etc/apt/sources.list.d/cw-bookworm-backports.list >/dev/null
fi
"${sudo[@]}" apt-get update
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
if $backports_mesa; then
  echo "bootstrap: installing mesa-vulkan-drivers from bookworm-backports"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    -t bookworm-backports mesa-vulkan-drivers
fi
