#!/usr/bin/env bash
# Starts or stops a private mosquitto on a free loopback port (never a fixed one).
#   test-broker.sh start DIR [extra config lines file]  -> DIR/port, DIR/pid, DIR/mosquitto.log
#   test-broker.sh stop DIR                             -> kills the PID in DIR/pid
# A port is picked at random and mosquitto itself tells whether it was free: no probe-then-bind race.
set -euo pipefail
action=$1
dir=$2
mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)

stop() {
  if [[ -f "$dir/pid" ]]; then
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
  fi
}

start() {
  mkdir -p "$dir"
  stop
  for _ in $(seq 20); do
    port=$((20000 + RANDOM % 40000))
    {
      echo "listener $port 127.0.0.1"
      echo "allow_anonymous true"
      echo "set_tcp_nodelay true" # without it a QoS 1 round trip costs ~88 ms (docs/toolchain-notes.md#p3)
      echo "max_queued_messages 100000"
      echo "persistence false"
      echo "log_dest file $dir/mosquitto.log" # a file: stdout would be block-buffered
      echo "user $(id -un)" # a root-started broker would otherwise drop to 'mosquitto' and lose file access
      if [[ -n "${1:-}" ]]; then cat "$1"; fi # extra config lines
    } >"$dir/mosquitto.conf"
    : >"$dir/mosquitto.log"
    "$mosquitto_bin" -c "$dir/mosquitto.conf" >"$dir/stdout.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      # "Opening ... listen socket on port N" comes before the bind, and "Error: Address already in use" may
      # follow it; "running" is logged only once every listener is open.
      if grep -q "Error:" "$dir/mosquitto.log" 2>/dev/null; then break; fi
      if grep -q "mosquitto version .* running" "$dir/mosquitto.log" 2>/dev/null; then
        echo "$pid" >"$dir/pid"
        echo "$port" >"$dir/port"
        echo "mosquitto listening on 127.0.0.1:$port (pid $pid)"
        return 0
      fi
      sleep 0.05
    done
    kill "$pid" 2>/dev/null || true
  done
  echo "test-broker: could not start mosquitto; see $dir/mosquitto.log" >&2
  return 1
}

case "$action" in
  start) start "${3:-}" ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR [extra.conf]" >&2; exit 2 ;;
esac
