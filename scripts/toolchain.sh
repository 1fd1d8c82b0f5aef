# shellcheck shell=bash
# Installs what Switchboard needs to build and test, idempotently: each step checks the version
# it needs and does nothing when that is already there. Sourced by scripts/run and scripts/test.
# Facts behind these pins: ../shared/TOOLCHAIN.md (only package registries are reachable).

set -euo pipefail

SB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
WASM_BINDGEN_VERSION="0.2.130" # must equal the `wasm-bindgen = "=..."` pin in Cargo.toml
export PATH="$HOME/.cargo/bin:$SB_ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# `cargo install` of a pinned version, skipped when the binary already reports it.
ensure_cargo_tool() { # binary crate version [extra cargo args...]
  local bin=$1 crate=$2 version=$3
  shift 3
  if "$bin" --version 2>/dev/null | grep -q " $version\b"; then return; fi
  say "installing $crate $version (compiles once, several minutes on a small machine)"
  cargo install "$crate" --version "$version" "$@"
}

ensure_trunk() { ensure_cargo_tool trunk trunk "$TRUNK_VERSION" --locked; }
# --locked fails for this crate: its lockfile pins a webpki-roots the registry lacks.
ensure_wasm_bindgen() { ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"; }

# wasm-opt (npm `binaryen`) and Playwright come from package.json / package-lock.json.
ensure_node_modules() {
  local stamp="$SB_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$SB_ROOT/package-lock.json" -nt "$stamp" ]; then
    say "installing node packages (npm ci)"
    (cd "$SB_ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Chromium for the browser tests, with an emoji font so customers' emojis render as they do
# on agents' machines.
ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then return; fi
  say "installing Debian's chromium, chromium-driver and an emoji font"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-color-emoji >/dev/null
}

# curl and openssl run the README's webhook examples in the server tests; python3's sqlite3
# lets end-to-end tests change the database as an operator would.
ensure_shell_tools() {
  if command -v curl >/dev/null && command -v openssl >/dev/null && command -v python3 >/dev/null; then return; fi
  say "installing curl, openssl and python3"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl openssl python3 >/dev/null
}

# brotli compresses the app once at build time (quality 11), so no request compresses it again.
ensure_brotli() {
  if command -v brotli >/dev/null; then return; fi
  say "installing brotli"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli >/dev/null
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_trunk
  ensure_node_modules
  ensure_brotli
}

build_spa() {
  say "building the app (release, size-optimised)"
  (cd "$SB_ROOT" && trunk build --release --offline)
  precompress "$SB_ROOT/dist"
}

# Writes file.br (brotli 11) and file.gz (gzip 9) beside each text or wasm file of the built
# app; the server sends the one the browser accepts.
precompress() { # dir
  local file
  while IFS= read -r -d '' file; do
    brotli --quality=11 --force --keep --output="$file.br" "$file"
    gzip -9 --no-name --force --keep --stdout "$file" > "$file.gz"
  done < <(find "$1" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.html' \) -print0)
}
