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

if [ ${#missing[@]} -eq 0 ]; then
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

echo "bootstrap: installing ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
