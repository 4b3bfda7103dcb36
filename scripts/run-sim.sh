#!/usr/bin/env bash
# Runs the dock simulator: installs what is missing, builds, and when no --broker is given starts a private
# mosquitto on a free loopback port (stopped again on exit).
#   scripts/run-sim.sh                 the demo (scripts/demo.sh): one dock walked through a scripted scenario by
#                                      dock-cloud, its flight's photos uploaded to a local s3rver and its firmware
#                                      upgraded from a local HTTPS nginx
#   scripts/run-sim.sh [OPTIONS]       dock-sim with these options (see dock-sim --help), until Ctrl-C
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target dock-sim dock-cloud >/dev/null

if [[ $# -eq 0 ]]; then
  exec scripts/demo.sh
fi

args=("$@")
broker_given=false
for arg in "${args[@]}"; do
  if [[ "$arg" == "--broker" || "$arg" == --broker=* ]]; then broker_given=true; fi
done

if ! $broker_given; then
  broker_dir=$(mktemp -d /tmp/docklink-broker.XXXXXX)
  trap 'scripts/test-broker.sh stop "$broker_dir" >/dev/null; rm -rf "$broker_dir"' EXIT
  scripts/test-broker.sh start "$broker_dir" >/dev/null
  uri="tcp://127.0.0.1:$(cat "$broker_dir/port")"
  echo "run-sim: started a private mosquitto at $uri (log: $broker_dir/mosquitto.log)"
  args=(--broker "$uri" "${args[@]}")
fi
build/samples/dock-sim "${args[@]}"
