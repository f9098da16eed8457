#!/bin/sh
# Installs the briefing binary from a release, without Rust:
#
#   curl -fsSL https://github.com/briefing-ssg/briefing/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --version v0.1.0 --to /usr/local/bin
#
# It finds this machine's target (Linux x86_64 or aarch64, macOS x86_64 or
# arm64, Windows x86_64 under Git Bash or MSYS2), downloads
# briefing-<target>.tar.gz (or .zip) and its .sha256 from the release,
# checks the archive against the checksum, and copies the binary into
# ~/.local/bin, or the folder given with --to (or BRIEFING_INSTALL_DIR).
# Nothing is installed unless the checksum matches.
#
# BRIEFING_RELEASES names another place to download from (a mirror, or a
# test server): the folder that holds latest/download/ and download/<tag>/.
set -eu

releases="${BRIEFING_RELEASES:-https://github.com/briefing-ssg/briefing/releases}"
version=latest
dir="${BRIEFING_INSTALL_DIR:-${HOME:-}/.local/bin}"

usage() {
  echo "usage: install.sh [--version vX.Y.Z] [--to DIR]" >&2
  exit 2
}

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --version) [ "$#" -ge 2 ] || usage; version="$2"; shift 2 ;;
    --to) [ "$#" -ge 2 ] || usage; dir="$2"; shift 2 ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
done

case "$(uname -s)" in
  Linux) os=unknown-linux-musl ;;
  Darwin) os=apple-darwin ;;
  MINGW* | MSYS* | CYGWIN*) os=pc-windows-msvc ;;
  *) fail "no release for $(uname -s); build from source with cargo install --locked briefing" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) fail "no release for $(uname -m); build from source with cargo install --locked briefing" ;;
esac
if [ "$os" = pc-windows-msvc ] && [ "$arch" != x86_64 ]; then
  fail "no release for Windows on $arch"
fi
target="$arch-$os"
case "$os" in
  pc-windows-msvc) archive="briefing-$target.zip"; exe=briefing.exe ;;
  *) archive="briefing-$target.tar.gz"; exe=briefing ;;
esac
case "$version" in
  latest) url="$releases/latest/download" ;;
  v*) url="$releases/download/$version" ;;
  *) url="$releases/download/v$version" ;;
esac

download() {
  if command -v curl >/dev/null 2>&1; then
    curl --proto '=https,http' -fsSL "$1" -o "$2"
  elif command -v wget >/dev/null 2>&1; then
    wget -q "$1" -O "$2"
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else
    fail "no sha256sum, shasum or openssl to check the download with"
  fi
}

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t briefing)"
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "downloading $url/$archive" >&2
download "$url/$archive" "$tmp/$archive" || fail "could not download $url/$archive"
download "$url/$archive.sha256" "$tmp/$archive.sha256" ||
  fail "could not download $url/$archive.sha256"

want="$(cut -d ' ' -f 1 < "$tmp/$archive.sha256")"
got="$(sha256 "$tmp/$archive")"
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  fail "$archive does not match its checksum (expected ${want:-nothing}, got $got): not installed"
fi

case "$archive" in
  *.zip) (cd "$tmp" && unzip -q "$archive") || fail "could not unpack $archive" ;;
  *) (cd "$tmp" && tar -xzf "$archive") || fail "could not unpack $archive" ;;
esac
[ -f "$tmp/briefing-$target/$exe" ] || fail "$archive holds no briefing-$target/$exe"

mkdir -p "$dir" || fail "could not create $dir"
# Copied beside, then renamed over: a running briefing is never half-written.
if ! { cp "$tmp/briefing-$target/$exe" "$dir/$exe.tmp" && chmod 755 "$dir/$exe.tmp" &&
  mv -f "$dir/$exe.tmp" "$dir/$exe"; }; then
  fail "could not write $dir/$exe"
fi

echo "installed $("$dir/$exe" --version 2>/dev/null || echo briefing) to $dir/$exe" >&2
case ":${PATH:-}:" in
  *":$dir:"*) ;;
  *) echo "note: $dir is not on PATH; add it, or run $dir/$exe" >&2 ;;
esac
