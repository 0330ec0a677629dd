#!/usr/bin/env bash
# Sets up the browser tests (test/browser, the page in examples/browser): installs Debian's
# `chromium` (/usr/bin/chromium), which playwright-core drives; playwright's own browser
# download is not used. Run by .ci/run before the tests. Without it the browser tests skip
# with a logged reason (unless NUMBATS_REQUIRE_BROWSER=1, as .ci/run sets, makes them fail).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
if [ ! -x /usr/bin/chromium ]; then
  echo "setup-browser: installing chromium"
  "${SUDO[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends chromium
fi
# (Debian's launcher script may print a harmless shell warning about /dev/shm on stderr)
/usr/bin/chromium --version 2>/dev/null || /usr/bin/chromium --version
