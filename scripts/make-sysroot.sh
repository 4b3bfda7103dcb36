#!/usr/bin/env bash
# Makes a target sysroot for cross-compiling DockLink from Debian 12 packages, without touching the host:
#   scripts/make-sysroot.sh ARCH DIR        ARCH = aarch64|arm64 or armhf|arm
# The packages' index is fetched into a private apt state directory (the host's Debian sources, the target
# architecture only), the packages are fetched with `apt-get download` and unpacked with `dpkg -x`. Nothing is
# installed, and no architecture is added to the host's dpkg (so the pitfalls docs/toolchain-notes.md#p1, #p2
# stay out of the way).
# Idempotent: DIR/.docklink-sysroot records the architecture and package list; when it matches, nothing is done.
set -euo pipefail

usage() { echo "usage: $0 aarch64|armhf DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
case "$1" in
  aarch64 | arm64) deb_arch=arm64 triple=aarch64-linux-gnu ;;
  armhf | arm) deb_arch=armhf triple=arm-linux-gnueabihf ;;
  *) usage ;;
esac
dir=$(realpath -m "$2")

# Everything the library, the tests and their run under qemu need. Paho C++'s package omits Paho C and
# OpenSSL although its CMake config needs both (P10), so they are listed explicitly.
packages=(
  libpaho-mqttpp-dev libpaho-mqttpp3-1 libpaho-mqtt-dev libpaho-mqtt1.3
  libssl-dev libssl3
  libmbedtls-dev libmbedtls14 libmbedx509-1 libmbedcrypto7
  libcpputest-dev
  # libcurl (the HTTP port) and the libraries libcurl4 needs at link and run time (its NEEDED entries)
  libcurl4-openssl-dev libcurl4
  libbrotli1 libcom-err2 libffi8 libgmp10 libgnutls30 libgssapi-krb5-2 libhogweed6 libidn2-0 libk5crypto3
  libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 libnettle8 libnghttp2-14 libp11-kit0 libpsl5 librtmp1
  libsasl2-2 libssh2-1 libtasn1-6 libunistring2 libzstd1 zlib1g
  libc6 libc6-dev linux-libc-dev libstdc++6 libgcc-s1
)
arch_independent=(rapidjson-dev)

stamp_name=.docklink-sysroot
expected_stamp="format 1
arch $deb_arch
packages ${packages[*]} ${arch_independent[*]}"

if [[ -f "$dir/$stamp_name" ]] && [[ "$(cat "$dir/$stamp_name")" == "$expected_stamp" ]]; then
  echo "make-sysroot: $dir is complete for $deb_arch"
  exit 0
fi
if [[ -e "$dir" && ! -f "$dir/$stamp_name" ]] && [[ -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
  echo "make-sysroot: $dir exists and is not a DockLink sysroot; refusing to replace it" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/docklink-sysroot.XXXXXX")
root="$dir.partial.$$" # next to DIR, so the final rename stays on one file system
trap 'rm -rf "$work" "$root"' EXIT
mkdir -p "$work/state/lists/partial" "$work/cache/archives/partial" "$work/debs" "$root"
: >"$work/state/status" # an empty dpkg status: the host's installed packages play no part

# A private apt configuration: the host's own source lists (same Debian mirrors), read for the target
# architecture only, with state, cache and an empty dpkg status under $work. The host's update hooks (e.g.
# docker-clean's cache removal) are cleared so this run changes nothing outside $work.
cat >"$work/apt.conf" <<EOF
Dir::State "$work/state";
Dir::State::status "$work/state/status";
Dir::Cache "$work/cache";
APT::Architecture "$deb_arch";
#clear APT::Architectures;
APT::Architectures { "$deb_arch"; };
APT::Sandbox::User "$(id -un)";
Debug::NoLocking "true";
Acquire::Languages "none";
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
EOF
apt_options=(-c "$work/apt.conf")

echo "make-sysroot: fetching the $deb_arch package index" >&2
# A foreign architecture's security index may be served inconsistently (P1); main and updates still work,
# so a failed update is tolerated and the download below says what is really missing.
if ! apt-get -qq "${apt_options[@]}" update >"$work/update.log" 2>&1; then
  echo "make-sysroot: apt-get update reported errors (continuing):" >&2
  grep -E '^(E|W):' "$work/update.log" >&2 || cat "$work/update.log" >&2
fi

echo "make-sysroot: downloading ${#packages[@]} + ${#arch_independent[@]} packages" >&2
(cd "$work/debs" && apt-get -qq "${apt_options[@]}" download \
  "${packages[@]/%/:$deb_arch}" "${arch_independent[@]}")

for deb in "$work/debs"/*.deb; do
  dpkg -x "$deb" "$root"
done
# Merged /usr, as on a real bookworm system: the target's loader and the linker scripts in libc6-dev name
# /lib/<triple>/..., which must resolve inside the sysroot (under qemu -L, too) and never fall back to the host.
if [[ -d "$root/lib" && ! -L "$root/lib" ]]; then
  mkdir -p "$root/usr/lib"
  cp -a "$root/lib/." "$root/usr/lib/"
  rm -rf "${root:?}/lib"
  ln -s usr/lib "$root/lib"
fi

for required in "usr/lib/$triple/libc.so.6" "usr/lib/$triple/libpaho-mqttpp3.so" "usr/include/rapidjson/document.h" \
  "usr/lib/$triple/libCppUTest.a" "usr/lib/$triple/libmbedcrypto.so" "usr/lib/$triple/libssl.so" \
  "usr/lib/$triple/libcurl.so" "usr/include/$triple/curl/curl.h"; do
  if [[ ! -e "$root/$required" ]]; then
    echo "make-sysroot: $required is missing from the unpacked packages" >&2
    exit 1
  fi
done

# Every library the unpacked libraries need must be in the sysroot too (a new Debian dependency would show here,
# instead of as a loader error under qemu).
# (libc.so and friends are linker scripts, not ELF: readelf's complaint about them is ignored.)
missing=$({ find "$root/usr/lib/$triple" -maxdepth 1 -type f -name 'lib*.so*' -exec readelf -d {} + 2>/dev/null || true; } |
  sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u |
  while read -r needed; do
    [[ -e "$root/usr/lib/$triple/$needed" || -e "$root/usr/lib/$needed" ]] || echo "$needed"
  done)
if [[ -n "$missing" ]]; then
  echo "make-sysroot: libraries needed but not in the package list: $missing" >&2
  exit 1
fi

{
  for deb in "$work/debs"/*.deb; do dpkg-deb -f "$deb" Package Version Architecture | paste -sd' '; done
} >"$root/.docklink-sysroot-packages"
printf '%s\n' "$expected_stamp" >"$root/$stamp_name"

# Swap in the finished tree only now, so an interrupted run never leaves a stamped but incomplete sysroot.
rm -rf "$dir"
mv -T "$root" "$dir"
echo "make-sysroot: $dir ready ($deb_arch, $(du -sh "$dir" | cut -f1))"
