#!/usr/bin/env bash
# Footprint of DockLink: builds the libraries and dock-sim MinSizeRel (-Os, the build firmware ships) for x86-64
# and, when the cross compilers are installed (scripts/install-deps.sh cross), for aarch64 and armhf, then prints
# markdown tables of stripped sizes: our library split by component, the typed thing code, dock-sim, and the
# dependencies libdocklink.so needs (tests/bench/footprint.py does the measuring).
#   scripts/footprint.sh [--no-build] [--x86-64 DIR] [--aarch64 DIR] [--armhf DIR]
# Default trees: build-footprint-x86-64, build-footprint-aarch64, build-footprint-armhf in the repository root;
# a cross tree makes its sysroot (scripts/make-sysroot.sh) next to it as <tree>-sysroot unless it is configured
# already. --no-build measures the trees as they are. Only the library and dock-sim targets are built: about 3
# minutes per architecture on 2 cores.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=1
declare -A tree=([x86-64]=$root/build-footprint-x86-64 [aarch64]=$root/build-footprint-aarch64
  [armhf]=$root/build-footprint-armhf)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0 ;;
    --x86-64 | --aarch64 | --armhf) tree[${1#--}]=$(realpath -m "$2"); shift ;;
    *) echo "usage: $0 [--no-build] [--x86-64 DIR] [--aarch64 DIR] [--armhf DIR]" >&2; exit 2 ;;
  esac
  shift
done

triple_of() { case "$1" in x86-64) echo x86_64-linux-gnu ;; aarch64) echo aarch64-linux-gnu ;; armhf) echo arm-linux-gnueabihf ;; esac; }
cache_value() { sed -n "s/^$2:[A-Z]*=//p" "$1/CMakeCache.txt" 2>/dev/null | head -n1; }

configure_and_build() { # ARCH: prints nothing; failures are reported by the empty row later
  local arch=$1 dir=${tree[$1]} triple
  triple=$(triple_of "$arch")
  local args=(-S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=MinSizeRel -DDOCKLINK_BUILD_TESTS=OFF -DDOCKLINK_BUILD_BENCH=OFF)
  if [[ $arch != x86-64 ]]; then
    command -v "$triple-g++" >/dev/null || return 1
    local sysroot
    sysroot=$(cache_value "$dir" DOCKLINK_SYSROOT)
    if [[ -z "$sysroot" ]]; then
      sysroot=$dir-sysroot
      "$root/scripts/make-sysroot.sh" "$arch" "$sysroot" >&2 || return 1
    fi
    args+=(--toolchain "$root/toolchains/$triple.cmake" -DDOCKLINK_SYSROOT="$sysroot")
  fi
  echo "footprint: building $arch in $dir" >&2
  cmake "${args[@]}" >/dev/null && cmake --build "$dir" -j"$(nproc)" --target docklink_shared docklink_things docklink_loopback dock-sim >/dev/null
}

measure=$root/tests/bench/footprint.py
ours=$(python3 "$measure" --header)
deps=$(python3 "$measure" --header --deps)
for arch in x86-64 aarch64 armhf; do
  if [[ $build == 1 ]]; then configure_and_build "$arch" || echo "footprint: no $arch build" >&2; fi
  dir=${tree[$arch]}
  triple=$(triple_of "$arch")
  prefix="" sysroot=""
  if [[ $arch != x86-64 ]]; then prefix=$triple- sysroot=$(cache_value "$dir" DOCKLINK_SYSROOT); fi
  if [[ ! -f "$dir/ports/docklink_shared.map" ]] || ! command -v "${prefix}strip" >/dev/null; then
    ours+=$'\n'"| $arch | no build in $dir |"
    continue
  fi
  ours+=$'\n'$(python3 "$measure" --build "$dir" --name "$arch" --tool-prefix "$prefix")
  deps+=$'\n'$(python3 "$measure" --deps --name "$arch" --tool-prefix "$prefix" --sysroot "$sysroot" --triple "$triple")
done

cat <<EOF
### Footprint (bytes, stripped, MinSizeRel)

Our code: \`libdocklink.so\` (core, embedded thing-model JSON, minified and LZ77-packed, and the Linux ports; linked
with LTO) split by where its bytes come from (the linker's map; with LTO, the object that defines each function);
"rest" is what the linker adds (dynamic symbols, PLT/GOT, relocations, ELF headers, alignment) and, with LTO, the
unwind tables and merged constants, which no longer belong to one object. On aarch64 the file grows in 64 KiB
steps: GNU ld 2.40 ends the RELRO segment on a max-page-size (64 KiB) boundary, and a segment's file offset must
equal its address modulo 64 KiB, so the file is the read-only segment plus RELRO rounded up to a multiple of
64 KiB, plus the writable data after RELRO and the section headers (about 3.5 KB); "rest" holds the zeros in
between (\`-z norelro\` would drop them but loses the hardening; a 4 KiB max-page-size would break 64 KiB-page
kernels). \`readelf -lW\` shows how close a build is to the next step.
\`libdocklink_things.so\` is the typed thing-model code (DockLink::things), needed only by firmware that uses
docklink/generated/*.hpp; \`libdocklink_loopback.so\` is the in-memory broker for tests (DockLink::loopback),
which firmware does not ship. dock-sim links the static library (only what it uses).

$ours

Dependencies of \`libdocklink.so\` for comparison (the target's Debian 12 packages; libpaho-mqtt3as needs libssl
and libcrypto):

$deps

EOF
