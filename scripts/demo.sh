#!/usr/bin/env bash
# DockLink demo: one simulated dock driven by the cloud console through remote debugging and a short flight.
#   scripts/demo.sh [BROKER_URI]     (no URI: a private mosquitto is started and stopped again)
# Expects build/samples/dock-sim and dock-cloud (BUILD_DIR=... to use another build). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
sim=$build/samples/dock-sim
cloud=$build/samples/dock-cloud
if [[ ! -x $sim || ! -x $cloud ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j"$(nproc)" --target dock-sim dock-cloud >/dev/null
fi

work=$(mktemp -d /tmp/docklink-demo.XXXXXX)
sim_pid="" serve_pid=""
cleanup() {
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null || true
  [[ -n $sim_pid ]] && kill "$sim_pid" 2>/dev/null || true
  [[ -f $work/pid ]] && scripts/test-broker.sh stop "$work" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $# -ge 1 ]]; then
  uri=$1
else
  scripts/test-broker.sh start "$work" >/dev/null
  uri="tcp://127.0.0.1:$(cat "$work/port")"
  echo "demo: private mosquitto at $uri"
fi
sn="DEMO-$$"
step() { echo; echo "== $*"; }

# The cloud side answers update_topo, config, binding, resources and job events in the background.
"$cloud" --broker "$uri" serve >"$work/serve.log" 2>&1 &
serve_pid=$!
"$sim" --broker "$uri" --sn "$sn" --speed 15 --osd-period-ms 500 --log-level warn >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do grep -q "connected in" "$work/sim.log" && break; sleep 0.1; done
grep "dock-sim:" "$work/sim.log"

call() { "$cloud" --broker "$uri" --timeout-s 15 --no-reply call "$sn" "$@"; }

step "cover_open outside remote debugging must be refused (514153)"
if call cover_open --no-follow; then echo "demo: cover_open was accepted outside remote debugging" >&2; exit 1; fi
step "debug_mode_open"
call debug_mode_open
step "cover_open (job with progress)"
call cover_open
step "debug_mode_close"
call debug_mode_close
step "property set: height_limit 200"
"$cloud" --broker "$uri" set "$sn" '{"height_limit":200}'
flight_id="demo-flight-$$"
step "flighttask_prepare $flight_id"
call flighttask_prepare "{\"flight_id\":\"$flight_id\",\"execute_time\":$(date +%s%3N),\"task_type\":0,\"rth_altitude\":60,\"file\":{\"url\":\"http://127.0.0.1/$flight_id.kmz\",\"fingerprint\":\"0123456789abcdef\"}}"
step "flighttask_execute (flighttask_progress until done)"
call flighttask_execute "{\"flight_id\":\"$flight_id\"}"
step "debug_mode_open, cover_close, debug_mode_close"
call debug_mode_open
call cover_close
call debug_mode_close
step "dock state"
"$cloud" --broker "$uri" --json --duration-s 1.2 watch | tail -1

step "stopping the simulator"
kill -TERM "$sim_pid"
wait "$sim_pid"
sim_pid=""
echo "demo: ok"
