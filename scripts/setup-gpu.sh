#!/usr/bin/env bash
# Sets up gpu.js's headlessgl backend for the `gpu` target: installs the Debian packages the
# native `gl` package (headless-gl) builds against and runs under (Mesa's software GL, an X
# server for xvfb-run), then builds `gl` from source. npm does not run dependencies' install
# scripts unless allowed, so `gl` arrives unbuilt with `npm ci`; this script allows it once.
# Run by .ci/run before the tests; afterwards run tests with a display: `xvfb-run -a npm test`.
# Without it everything still works: the `gpu` target then runs on gpu.js's webasm backend.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
PKGS=(build-essential python3 pkg-config libxi-dev libglu1-mesa-dev libglew-dev libgl1-mesa-dri xvfb xauth)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-gpu: installing ${missing[*]}"
  "${SUDO[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

probe='const c = require("gl")(2, 2); if (!c) { console.error("no GL context"); process.exit(1); } console.log("setup-gpu: headless-gl context:", c.getParameter(c.VERSION));'
if [ -d node_modules/gl ] && xvfb-run -a node -e "$probe" 2>/dev/null; then
  echo "setup-gpu: gl is already built"
  exit 0
fi
if [ ! -d node_modules/gl ]; then
  # npm ci drops the optional `gl` when its build fails (no GL headers then); with the
  # packages above installed, a second npm ci builds it.
  echo "setup-gpu: node_modules/gl is missing: reinstalling with npm ci"
  npm ci --no-audit --no-fund
fi
if ! xvfb-run -a node -e "$probe" 2>/dev/null; then
  echo "setup-gpu: building gl from source (node-gyp; a few minutes)"
  # prebuild-install (the first half of gl's install script) needs GitHub; node-gyp builds
  # from the sources in the package.
  (cd node_modules/gl && npx --no-install node-gyp rebuild)
fi
xvfb-run -a node -e "$probe"
