#!/usr/bin/env bash
# Builds Release in build-bench, starts a private mosquitto (scripts/test-broker.sh, set_tcp_nodelay true) on a
# free port, runs every benchmark of tests/bench, writes the combined markdown to bench-results.md in the repository
# root and prints it. Benchmarks are independent: one that fails is reported and the others still run.
# Every fleet size runs twice, each on a fresh broker: through DockLink (bench_fleet) and as the raw Paho baseline
# (bench_fleet_raw: plain async_clients, pre-serialised envelopes, the SDK's timer + worker scheduling). The raw rows
# go in a second table under the DockLink one, followed by a DockLink / raw ratio table per size. The DockLink
# fleets get a minimal cloud (bench_status_responder, its own process) that acknowledges each update_topo.
#   scripts/bench.sh [--quick] [--no-footprint] [--stretch]
#     --quick: smaller counts and fleets, for a smoke run; --no-footprint: skips the three MinSizeRel builds;
#     --stretch: adds the 20,000-dock fleet (issue #15's stretch size; 400 s to connect, about 25 minutes more)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench
out=$root/bench-results.md
work=$(mktemp -d /tmp/docklink-bench.XXXXXX)
quick=0 footprint=1 stretch=0
for arg in "$@"; do
  [[ $arg == --stretch ]] && stretch=1
  [[ $arg == --quick ]] && quick=1
  [[ $arg == --no-footprint ]] && footprint=0
done

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
cmake --build "$build" -j"$(nproc)" --target bench_envelope bench_overhead bench_fleet bench_fleet_raw bench_status_responder bench_reconnect bench_tcp_nodelay bench_download bench_upload dock-sim \
  docklink_shared || exit 1
bench=$build/tests/bench

# A fleet needs one descriptor per dock (and the broker one per connection).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

cleanup() {
  for dir in "$work"/broker-*; do [[ -d "$dir" ]] && "$root/scripts/test-broker.sh" stop "$dir" >/dev/null 2>&1; done
}
trap cleanup EXIT

start_broker() { # NAME [EXTRA_CONFIG_FILE] -> prints the broker's directory
  local dir=$work/broker-$1
  "$root/scripts/test-broker.sh" start "$dir" ${2:+"$2"} >/dev/null || return 1
  echo "$dir"
}

run() { # TITLE COMMAND...: runs one benchmark, notes a failure in the results instead of stopping
  local title=$1
  shift
  echo "== $title" >&2
  local status=0
  "$@" 2>>"$work/stderr.log" || status=$?
  if [[ $status != 0 ]]; then # the note goes to $notes when set (tables being assembled elsewhere), else to $out
    {
      echo ""
      echo "_$title: exit status $status (incomplete run; its stderr is in the run log, excerpts below)._"
      echo ""
    } >>"${notes:-$out}"
  fi
}

{
  echo "# DockLink benchmark results"
  echo ""
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "- kernel: $(uname -sr); compiler: $(c++ --version | head -n1); build: Release"
  echo "- broker: $(mosquitto -h 2>/dev/null | head -n1), private, loopback, set_tcp_nodelay true"
  echo "- git: $(git -C "$root" rev-parse --short HEAD 2>/dev/null) (plus uncommitted changes, if any)"
  echo ""
} >"$out"

# 1. Overhead versus raw Paho.
if [[ $quick == 1 ]]; then overhead_args=(--qos0 5000 --qos1 3000 --calls 300 --rounds 1); else overhead_args=(); fi
dir=$(start_broker overhead) && run "overhead" "$bench/bench_overhead" --broker "tcp://127.0.0.1:$(cat "$dir/port")" \
  "${overhead_args[@]}" --out "$out" >/dev/null

# 2. Codec (bench_envelope prints its own table).
echo "### Envelope codec (bench_envelope)" >>"$out"
echo "" >>"$out"
run "codec" bash -c "'$bench/bench_envelope' >>'$out'"
echo "" >>"$out"

# 4. Reconnect after a broker restart. Before the fleets: a 5,000-dock fleet that keeps failing to connect can
# leave the loopback's ephemeral ports in TIME_WAIT for a minute, and connects then fail.
# The broker keeps sessions across its restart, so the cloud peer's subscription survives it and no update_topo
# is lost while the peer reconnects (that race would show up as a 1 s resend, not as the dock's reconnect time).
printf 'persistence true\npersistence_location %s/\n' "$work" >"$work/persistent.conf"
dir=$(start_broker reconnect "$work/persistent.conf") && run "reconnect" "$bench/bench_reconnect" --broker-dir "$dir" \
  --rounds 5 --out "$out" >/dev/null

# 3. Fleet scale: a fresh broker per fleet size and program so one run's leftovers do not load the next. Rows go to
# one file per program and are put together below, with the ratio table.
fleet_header() {
  echo "| docks | all connected after s | failed connect attempts | fleet CPU s/s | broker CPU s/s | fleet RSS MiB | broker RSS MiB | OSD msg/s | jitter p50 | jitter p99 | jitter max | p99 < 100 ms | all update_topo acknowledged after s |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
}
# A DockLink dock resends update_topo until a cloud acknowledges it, so its fleet gets the least of a cloud: a
# separate process that answers every status (bench_status_responder). The raw baseline sends no topology.
start_cloud() { # BROKER_DIR -> the responder's PID, once it has subscribed
  rm -f "$1/cloud-ready"
  # Its stdout must not be the \$(...) pipe of the caller, or the substitution would wait for the responder's exit.
  "$bench/bench_status_responder" --broker "tcp://127.0.0.1:$(cat "$1/port")" --ready-file "$1/cloud-ready" \
    >/dev/null 2>>"$work/stderr.log" &
  local pid=$!
  for _ in $(seq 100); do [[ -f "$1/cloud-ready" ]] && break; sleep 0.1; done
  echo "$pid"
}
stop_cloud() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
fleet_ratios() { # RAW_ROWS TITLE: DockLink / raw per size, on connect time, jitter p99, CPU and RSS
  echo "DockLink against the $2, per size (ratio = DockLink / raw; n/a where a run is missing or raw is 0):"
  echo ""
  echo "| docks | connected after s DockLink / raw | ratio | all update_topo acknowledged after s DockLink / raw | ratio | jitter p99 DockLink / raw ms | fleet CPU s/s DockLink / raw | CPU ratio | fleet RSS MiB DockLink / raw | RSS ratio |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  # Columns of a row split on '|': $2 docks, $3 connected after, $5 fleet CPU, $7 fleet RSS, $11 jitter p99,
  # $14 all update_topo acknowledged after.
  awk -F'|' '
    function trim(v) { gsub(/^ +| +$/, "", v); return v }
    function ratio(a, b) { return (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) ? "n/a" : sprintf("%.2f", a / b) }
    function raw(table, d) { return (d in table) ? table[d] : "n/a" }
    FILENAME == ARGV[1] {
      d = trim($2); up[d] = trim($3); cpu[d] = trim($5); rss[d] = trim($7); p99[d] = trim($11); ready[d] = trim($14)
      next
    }
    {
      d = trim($2)
      printf "| %s | %s / %s | %s | %s / %s | %s | %s / %s | %s / %s | %s | %s / %s | %s |\n", d, trim($3), raw(up, d),
        ratio(trim($3), up[d]), trim($14), raw(ready, d), ratio(trim($14), ready[d]), trim($11), raw(p99, d),
        trim($5), raw(cpu, d), ratio(trim($5), cpu[d]), trim($7), raw(rss, d), ratio(trim($7), rss[d])
    }' "$1" "$work/fleet-docklink.md"
  echo ""
}
if [[ $quick == 1 ]]; then fleets=(100 1000); window=8; else fleets=(100 1000 5000 10000); window=20; fi
: >"$work/fleet-docklink.md"
: >"$work/fleet-raw.md"
: >"$work/fleet-raw-protocol.md"
notes=$work/fleet-notes.md
: >"$notes"
if [[ $stretch == 1 ]]; then
  # One socket per dock plus the process's own files: a limit of exactly 20,000 cannot hold 20,000 docks, so the
  # stretch fleet is as close to 20,000 as the descriptor limit allows (raising a hard limit needs privileges).
  stretch_docks=$(($(ulimit -n) >= 20064 ? 20000 : $(ulimit -n) - 64))
  fleets+=("$stretch_docks")
  ((stretch_docks < 20000)) &&
    echo "Stretch fleet: $stretch_docks docks, not 20,000: this process may open $(ulimit -n) files (hard limit $(ulimit -Hn))." >>"$notes"
fi
for docks in "${fleets[@]}"; do
  for variant in bench_fleet bench_fleet_raw bench_fleet_raw_protocol; do
    program=$variant extra=()
    rows=$work/fleet-docklink.md
    [[ $variant == bench_fleet_raw ]] && rows=$work/fleet-raw.md
    [[ $variant == bench_fleet_raw_protocol ]] && rows=$work/fleet-raw-protocol.md program=bench_fleet_raw extra=(--protocol 1)
    dir=$(start_broker "$variant-$docks") || continue
    cloud=""
    [[ $variant != bench_fleet_raw ]] && cloud=$(start_cloud "$dir")
    run "$variant $docks" timeout 900 "$bench/$program" --broker "tcp://127.0.0.1:$(cat "$dir/port")" --docks "$docks" \
      --duration-s "$window" --connect-timeout-s "$((docks > 10000 ? 400 : 120))" --broker-pid "$(cat "$dir/pid")" --out "$rows" "${extra[@]}" >/dev/null
    [[ -n "$cloud" ]] && stop_cloud "$cloud"
    "$root/scripts/test-broker.sh" stop "$dir" >/dev/null
  done
done
unset notes
{
  echo "### Fleet scale (one process, one Runtime; dock + aircraft per dock, OSD every 2 s; ${window} s window)"
  echo ""
  echo "CPU and RSS are of the fleet process and of mosquitto; jitter is how late the OSD fill ran against its"
  echo "schedule (ms; each source starts at a random phase, taken from its least-late fill); msg/s is OSD"
  echo "published / expected."
  echo ""
  fleet_header
  cat "$work/fleet-docklink.md"
  echo ""
  echo "Raw Paho baseline, same sizes (bench_fleet_raw: one plain Paho \`async_client\` per dock publishing pre-serialised"
  echo "envelopes of the same bytes at QoS 0; one timer thread posting due sources to 2 worker threads, as the SDK's"
  echo "Runtime does; jitter taken the same way, right before the publish):"
  echo ""
  fleet_header
  cat "$work/fleet-raw.md"
  echo ""
  echo "Raw Paho doing a DockLink dock's connect work as well (bench_fleet_raw --protocol 1: one SUBSCRIBE of the same"
  echo "8 filters and an update_topo answered by the same responder, resent after 3 s doubling to 60 s until answered):"
  echo ""
  fleet_header
  cat "$work/fleet-raw-protocol.md"
  echo ""
  fleet_ratios "$work/fleet-raw-protocol.md" "raw baseline doing the same protocol work"
  fleet_ratios "$work/fleet-raw.md" "plain raw baseline"
  echo ""
  cat "$work/fleet-notes.md"
} >>"$out"
# Baseline for the connect burst: the same 1,000-dock fleet without the TCP_NODELAY descriptor scan.
dir=$(start_broker fleet-nodelay-off) && {
  echo "" >>"$out"
  echo "Same fleet of 1,000 with \`tcp_nodelay = false\` (no descriptor scan per connect), for comparison:" >>"$out"
  echo "" >>"$out"
  fleet_header >>"$out"
  cloud=$(start_cloud "$dir")
  run "fleet 1000 nodelay off" timeout 300 "$bench/bench_fleet" --broker "tcp://127.0.0.1:$(cat "$dir/port")" \
    --docks 1000 --duration-s "$window" --tcp-nodelay 0 --broker-pid "$(cat "$dir/pid")" --out "$out" >/dev/null
  stop_cloud "$cloud"
  "$root/scripts/test-broker.sh" stop "$dir" >/dev/null
  echo "" >>"$out"
}
grep -E '^(raw )?fleet|^status responder' "$work/stderr.log" | sed 's/^/    /' >>"$out"
echo "" >>"$out"
# Why large fleets connect slowly: the per-connect TCP_NODELAY descriptor scan, measured alone.
run "tcp_nodelay scan" "$bench/bench_tcp_nodelay" --out "$out" >/dev/null


# 6. Downloads: 64 and 256 MiB over TLS from a private nginx, the engine against the curl command line, and the
# engine's peak RSS above idle (bench_download starts its own nginx; needs nginx-light, curl and openssl).
if [[ $quick == 1 ]]; then download_args=(--sizes 16,64 --rounds 1); else download_args=(--sizes 64,256 --rounds 5); fi
run "download" "$bench/bench_download" "${download_args[@]}" --out "$out" >/dev/null
# Uploads of the same kind of file to the tests' s3rver (multipart, SigV4) and nginx (PUT over TLS), against curl;
# s3rver goes into the build tree's cache first (npm, reused once there; its row is left out if that fails).
"$root/scripts/s3rver-install.sh" "$build/s3rver-cache" 2>>"$work/stderr.log" || true
if [[ $quick == 1 ]]; then upload_args=(--mib 64 --rounds 1); else upload_args=(--mib 256 --rounds 5); fi
run "upload" "$bench/bench_upload" "${upload_args[@]}" --out "$out" >/dev/null

# 5. Footprint: MinSizeRel builds of the libraries and dock-sim for x86-64 and, with the cross compilers, aarch64
# and armhf, split into our code and the dependencies (scripts/footprint.sh, tests/bench/footprint.py).
echo "== footprint" >&2
if [[ $footprint == 1 ]]; then
  "$root/scripts/footprint.sh" >>"$out" 2>>"$work/stderr.log" || echo "_footprint: failed (see the run log)._" >>"$out"
else
  echo "_Library sizes: not measured in this run (--no-footprint)._" >>"$out"
  echo "" >>"$out"
fi
dir=$(start_broker footprint) && {
  "$build/samples/dock-sim" --broker "tcp://127.0.0.1:$(cat "$dir/port")" --docks 1 --duration-s 8 \
    --log-level error >/dev/null 2>&1 &
  sim_pid=$!
  sleep 6
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$sim_pid/status" 2>/dev/null)
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$sim_pid/status" 2>/dev/null)
  kill "$sim_pid" 2>/dev/null
  echo "RSS of dock-sim with one dock (x86-64, connected, 6 s in): ${rss:-?} KiB (peak ${hwm:-?} KiB)." >>"$out"
  echo "" >>"$out"
}

cat "$out"
echo "(stderr of the benchmarks: $work/stderr.log)" >&2
