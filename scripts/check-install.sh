#!/usr/bin/env bash
# Checks that an installed DockLink can be used by an outside project, both ways a firmware team would:
#   scripts/check-install.sh [BUILD_DIR]        (default: build; the tree must already be built)
# Installs BUILD_DIR with `cmake --install` into a temporary prefix, then builds tests/consumer
#   1. with CMake: find_package(DockLink) via CMAKE_PREFIX_PATH, against DockLink::docklink and ::docklink_static,
#      plus a file that includes every installed public header (they must be self-contained and warning-free),
#      and loopback_main.cpp against DockLink::loopback;
#   2. with pkg-config: g++ pkgconfig_main.cpp $(pkg-config --cflags --libs docklink) and loopback_main.cpp with
#      docklink-loopback, via PKG_CONFIG_PATH;
# and runs all five programs. Exits non-zero on any failure.
# A cross build tree (configured with toolchains/*.cmake) is checked the way the README describes for firmware
# teams: DockLink is installed with DESTDIR into a throw-away copy of the sysroot under /usr/local, the consumer is
# cross-built with the same toolchain file, and the programs run under qemu-user.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(realpath "${1:-$repo/build}")
cache=$build_dir/CMakeCache.txt
[[ -f "$cache" ]] || { echo "check-install: $build_dir is not a configured build tree" >&2; exit 1; }

cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$cache" | head -n1; }
toolchain=$(cache_value CMAKE_TOOLCHAIN_FILE)
sysroot=$(cache_value DOCKLINK_SYSROOT)
sanitize=$(cache_value DOCKLINK_SANITIZE)

work=$(mktemp -d "${TMPDIR:-/tmp}/docklink-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/log
fail() {
  echo "check-install: FAILED: $*" >&2
  [[ -f "$log" ]] && tail -n 40 "$log" >&2
  exit 1
}
step() { echo "check-install: $*"; }

# The consumer is built like DockLink's own code: strict warnings, and the same sanitizers as the library.
cxx_flags="-Wall -Wextra -Wpedantic -Werror"
if [[ -n "$sanitize" ]]; then cxx_flags+=" -fsanitize=$sanitize -fno-omit-frame-pointer"; fi

if [[ -z "$toolchain" ]]; then
  # Host build: a plain prefix.
  prefix=$work/prefix
  step "installing $build_dir into $prefix"
  cmake --install "$build_dir" --prefix "$prefix" >"$log" 2>&1 || fail "cmake --install"
  cmake_cross=()
  pkg_env=(PKG_CONFIG_PATH="$prefix/lib/pkgconfig")
  cxx=(g++)
  run=()
  runtime_path=$prefix/lib
  installed=$prefix
else
  # Cross build: stage into a hard-linked copy of the sysroot, as a firmware team stages into theirs.
  [[ -n "$sysroot" && -d "$sysroot" ]] || fail "cross tree without a usable DOCKLINK_SYSROOT ($sysroot)"
  triple=$(sed -n 's/^set(DOCKLINK_TRIPLE \(.*\))$/\1/p' "$toolchain")
  qemu=$(sed -n 's/^set(DOCKLINK_QEMU \(.*\))$/\1/p' "$toolchain")
  staged=$work/sysroot
  cp -al "$sysroot" "$staged"
  step "installing $build_dir into $staged (DESTDIR) under /usr/local"
  DESTDIR=$staged cmake --install "$build_dir" --prefix /usr/local >"$log" 2>&1 || fail "cmake --install"
  cmake_cross=(--toolchain "$toolchain" -DDOCKLINK_SYSROOT="$staged")
  pkg_env=(PKG_CONFIG_SYSROOT_DIR="$staged"
    PKG_CONFIG_LIBDIR="$staged/usr/local/lib/pkgconfig:$staged/usr/lib/$triple/pkgconfig:$staged/usr/share/pkgconfig")
  cxx=("$triple-g++" --sysroot="$staged")
  run=("$qemu" -L "$staged")
  runtime_path=/usr/local/lib # as the target's loader sees it
  installed=$staged/usr/local
fi

# Every installed public header on its own line: compiling this proves none needs a private header.
headers=$(cd "$installed/include" && find docklink -name '*.hpp' | sort)
[[ -n "$headers" ]] || fail "no headers installed under $installed/include/docklink"
for header in $headers; do echo "#include \"$header\""; done >"$work/all_headers.cpp"
step "$(echo "$headers" | wc -l) public headers installed"

step "building tests/consumer with find_package(DockLink)"
cmake -S "$repo/tests/consumer" -B "$work/consumer" "${cmake_cross[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="${prefix:-/usr/local}" -DCMAKE_CXX_FLAGS="$cxx_flags" \
  -DDOCKLINK_CONSUMER_EXTRA_SOURCES="$work/all_headers.cpp" >"$log" 2>&1 || fail "consumer configure"
cmake --build "$work/consumer" -j2 >"$log" 2>&1 || fail "consumer build"
for flavour in shared static loopback; do
  "${run[@]}" "$work/consumer/consumer_$flavour" >"$log" 2>&1 || fail "consumer_$flavour run"
  step "consumer_$flavour: $(head -n1 "$log")"
done

step "building tests/consumer/pkgconfig_main.cpp with pkg-config"
pc_version=$(env "${pkg_env[@]}" pkg-config --modversion docklink 2>"$log") || fail "pkg-config --modversion"
pc_flags=$(env "${pkg_env[@]}" pkg-config --cflags --libs docklink 2>"$log") || fail "pkg-config --cflags --libs"
# shellcheck disable=SC2086 # pkg-config output is a list of flags
"${cxx[@]}" -std=c++17 $cxx_flags -DDOCKLINK_EXPECTED_VERSION="\"$pc_version\"" \
  "$repo/tests/consumer/pkgconfig_main.cpp" -o "$work/pkgconfig_consumer" $pc_flags >"$log" 2>&1 ||
  fail "pkg-config consumer build (flags: $pc_flags)"
LD_LIBRARY_PATH=$runtime_path "${run[@]}" "$work/pkgconfig_consumer" >"$log" 2>&1 || fail "pkg-config consumer run"
step "pkgconfig_consumer: $(head -n1 "$log")"

pc_flags=$(env "${pkg_env[@]}" pkg-config --cflags --libs docklink-loopback 2>"$log") ||
  fail "pkg-config --cflags --libs docklink-loopback"
# shellcheck disable=SC2086 # pkg-config output is a list of flags
"${cxx[@]}" -std=c++17 $cxx_flags "$repo/tests/consumer/loopback_main.cpp" -o "$work/pkgconfig_loopback" $pc_flags \
  >"$log" 2>&1 || fail "pkg-config loopback consumer build (flags: $pc_flags)"
LD_LIBRARY_PATH=$runtime_path "${run[@]}" "$work/pkgconfig_loopback" >"$log" 2>&1 || fail "pkg-config loopback run"
step "pkgconfig_loopback: $(head -n1 "$log")"
echo "check-install: OK"
