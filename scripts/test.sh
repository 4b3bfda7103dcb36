#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every unit and integration test with CTest.
#   scripts/test.sh                       native build in build/
#   scripts/test.sh --sanitize            ASan+UBSan build in build-sanitize/
#   scripts/test.sh --tsan                ThreadSanitizer build in build-tsan/ (suppressions: tests/sanitizer/tsan.supp,
#                                         third-party Paho internals only; any report in DockLink code fails the run)
# Extra arguments after -- go to ctest (e.g. -- -L unit).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ "${1:-}" == "--sanitize" ]]; then
  shift
  build_dir=build-sanitize
  cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DDOCKLINK_SANITIZE=address,undefined -DDOCKLINK_BUILD_BENCH=OFF)
elif [[ "${1:-}" == "--tsan" ]]; then
  shift
  build_dir=build-tsan
  # Optimised: TSan slows everything 5-15x, and the races it looks for do not need -O0.
  cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOCKLINK_SANITIZE=thread -DDOCKLINK_BUILD_BENCH=OFF)
  tests_per_core=1 # TSan's slowdown is computation: no idle time to fill
fi
if [[ "${1:-}" == "--" ]]; then shift; fi

scripts/install-deps.sh
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizer/lsan.supp}
# halt_on_error: the first race fails its test; second_deadlock_stack: lock-order reports name both acquisitions.
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizer/tsan.supp}
# Two tests a core (DOCKLINK_CTEST_JOBS overrides): most integration groups spend their time waiting on brokers,
# child processes and simulated time, not computing (under ASan at -j2 on 2 cores: 93 s of CPU in a 224 s run; at
# -j4 the same run took 134 s, all passing). The tests own their brokers, ports and directories, so any -j is safe.
jobs=${DOCKLINK_CTEST_JOBS:-$((${tests_per_core:-2} * $(nproc)))}
cd "$build_dir"
ctest --output-on-failure -j"$jobs" "$@"
