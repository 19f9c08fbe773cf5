#!/usr/bin/env bash
# Installs the Debian packages the real-VS-Code harness needs, when they are missing:
#   chromium                                   the browser Playwright drives
#   libkrb5-dev libxkbfile-dev libsecret-1-dev headers for code-server's native modules
#   python3 make g++                           node-gyp's toolchain
# Idempotent; exits 0 at once when everything is there. Fails (non-zero, with a message) when
# something is missing and cannot be installed (no apt-get, not root and no password-less sudo).
set -euo pipefail

missing=()
for pkg in libkrb5-dev libxkbfile-dev libsecret-1-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ -z "${CHROME_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
command -v python3 >/dev/null || missing+=(python3)
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system deps: all present"
  exit 0
fi
echo "system deps: installing ${missing[*]}"
if ! command -v apt-get >/dev/null; then
  echo "system deps: MISSING ${missing[*]} and there is no apt-get here; install them with your package manager" >&2
  exit 1
fi
SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "system deps: MISSING ${missing[*]}; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt may be running (other users of this machine): wait for its locks.
for try in 1 2 3 4 5 6 7 8 9 10; do
  if "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq; then break; fi
  [ "$try" = 10 ] && { echo "system deps: apt-get update kept failing" >&2; exit 1; }
  echo "system deps: apt-get update failed (try $try), retrying in 15 s" >&2
  sleep 15
done
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" </dev/null
echo "system deps: installed ${missing[*]}"
