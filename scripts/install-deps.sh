#!/usr/bin/env bash
# Installs the Debian 12 packages DockLink needs, only those that are missing (idempotent).
#   scripts/install-deps.sh            host build, tests and demo
#   scripts/install-deps.sh cross      also the aarch64/armhf cross compilers and qemu-user
#   scripts/install-deps.sh fuzz       also clang and its runtimes (libFuzzer, ASan, UBSan) for scripts/fuzz.sh
#   scripts/install-deps.sh docs       also doxygen for scripts/docs.sh (the API reference)
#   scripts/install-deps.sh format     also clang-format for scripts/check-format.sh
# Several may be given (scripts/install-deps.sh cross fuzz).
# Sysroots for cross builds are made by scripts/make-sysroot.sh (no target packages touch the host).
set -euo pipefail

host_packages=(
  cmake g++ make pkgconf openssl python3 # python3: the thing-model checker and code generator
  python3-jsonschema # the thing-model checker validates against JSON Schema draft 2020-12 (4.10 has it)
  libpaho-mqttpp-dev libpaho-mqtt-dev libssl-dev # Paho C++ needs Paho C and OpenSSL (docs/toolchain-notes.md#p10)
  libmbedtls-dev rapidjson-dev libcpputest-dev
  libcurl4-openssl-dev # the HTTP(S) port: libcurl on the same OpenSSL as Paho (keep-alive, redirects, proxies)
  mosquitto mosquitto-clients
  nginx-light # the file server of the transfer tests and the demo (Range, TLS, slow and cut responses); not shipped
)
# nodejs + npm: npm installs the S3 test server into the build tree (scripts/s3rver-install.sh). Only where no npm
# command exists: some machines ship node with npm bundled, and Debian's npm package conflicts with that one.
if ! command -v npm >/dev/null; then host_packages+=(nodejs npm); fi
cross_packages=(g++-aarch64-linux-gnu g++-arm-linux-gnueabihf qemu-user)
# clang-14 only recommends libclang-rt-14-dev, which holds libFuzzer and the sanitizer runtimes; without it
# -fsanitize=fuzzer fails to link. Installing without recommends, it must be named.
fuzz_packages=(clang libclang-rt-14-dev)
# doxygen: the API reference of the public headers; its warnings as errors keep every public symbol documented.
docs_packages=(doxygen)
# clang-format: CI checks that every C++ file is formatted as .clang-format says.
format_packages=(clang-format)

wanted=("${host_packages[@]}")
for extra in "$@"; do
  case "$extra" in
    cross) wanted+=("${cross_packages[@]}") ;;
    fuzz) wanted+=("${fuzz_packages[@]}") ;;
    docs) wanted+=("${docs_packages[@]}") ;;
    format) wanted+=("${format_packages[@]}") ;;
    *) echo "usage: $0 [cross] [fuzz] [docs] [format]" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
# A foreign architecture's index may fail to refresh (docs/toolchain-notes.md#p1); the host lists still work.
$sudo apt-get update -qq || echo "install-deps: apt-get update reported errors; continuing" >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
