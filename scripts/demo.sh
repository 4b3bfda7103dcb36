#!/usr/bin/env bash
# DockLink demo: one simulated dock driven by the cloud console through remote debugging, a short flight whose
# photos are uploaded to a local S3-compatible object store, and a firmware upgrade whose package is downloaded over
# HTTPS and checked against its MD5.
#   scripts/demo.sh [BROKER_URI]     (no URI: a private mosquitto is started and stopped again)
# Every server it starts (mosquitto, s3rver, nginx) listens on a free loopback port and is stopped on exit; the
# object store and the file server run on this machine in both cases, next to the simulated dock.
# Expects build/samples/dock-sim and dock-cloud (BUILD_DIR=... to use another build); needs node and nginx
# (scripts/install-deps.sh) and installs s3rver into the build tree (scripts/s3rver-install.sh, npm, once).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath -m "${BUILD_DIR:-build}") # absolute: node resolves the s3rver package from it
sim=$build/samples/dock-sim
cloud=$build/samples/dock-cloud
if [[ ! -x $sim || ! -x $cloud ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j"$(nproc)" --target dock-sim dock-cloud >/dev/null
fi

readonly bucket=docklink-demo access_key=DEMOACCESSKEY secret_key=demo-secret-key-not-for-production
work=$(mktemp -d /tmp/docklink-demo.XXXXXX)
children=() # every process this script started, stopped on exit
sn="DEMO-$$"
uri=""

cleanup() {
  local pid
  for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -f $work/pid ]] && scripts/test-broker.sh stop "$work" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM # so that Ctrl-C and kill also run cleanup

step() { echo; echo "== $*"; }
fail() { echo "demo: $*" >&2; exit 1; }

# Waits up to $1 tenths of a second for the command after it to succeed.
wait_for() {
  local tries=$1
  shift
  for _ in $(seq "$tries"); do "$@" && return 0; sleep 0.1; done
  return 1
}
accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_broker() {
  scripts/test-broker.sh start "$work" >/dev/null
  uri="tcp://127.0.0.1:$(cat "$work/port")"
  echo "demo: private mosquitto at $uri"
}

# s3rver with one bucket and one key pair; port 0 lets the kernel pick a free port, which it prints.
start_object_store() {
  scripts/s3rver-install.sh "$build/s3rver-cache"
  node tests/support/s3rver_main.js "$build/s3rver-cache" 0 "$work/s3" "$bucket" "$access_key" "$secret_key" \
    >"$work/s3rver.log" 2>&1 &
  children+=($!)
  wait_for 300 grep -q '^ready ' "$work/s3rver.log" || fail "s3rver did not start: $(cat "$work/s3rver.log")"
  store_endpoint="http://127.0.0.1:$(awk '/^ready /{print $2}' "$work/s3rver.log")"
  echo "demo: object store (s3rver) at $store_endpoint, bucket $bucket"
}

# A CA made for this run and a certificate for 127.0.0.1 signed by it; the dock trusts only that CA (--http-ca).
make_certificates() {
  local dir=$work/tls
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=DockLink demo CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -days 1 -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
}

nginx_config() {
  local port=$1 dir=$work/nginx
  # A root-started nginx would run its workers as nobody, who cannot read this user's files.
  [[ $(id -u) -eq 0 ]] && echo "user $(id -un) $(id -gn);"
  cat <<EOF
worker_processes 1;
pid $dir/nginx.pid;
events { worker_connections 64; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $work/tls/server.pem;
    ssl_certificate_key $work/tls/server.key;
    location /firmware/ { alias $dir/files/; }
  }
}
EOF
}

# nginx serving $work/nginx/files over HTTPS; a port another program took in the meantime means another try.
start_file_server() {
  local dir=$work/nginx pid
  mkdir -p "$dir/files" "$dir/tmp"
  for _ in $(seq 10); do
    file_port=$(free_port)
    nginx_config "$file_port" >"$dir/nginx.conf"
    /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g "daemon off;" >/dev/null 2>&1 &
    pid=$!
    if wait_for 50 accepts "$file_port" && kill -0 "$pid" 2>/dev/null; then
      children+=("$pid")
      echo "demo: file server (nginx, HTTPS with a CA made for this run) at https://127.0.0.1:$file_port/firmware/"
      return 0
    fi
    kill "$pid" 2>/dev/null || true
  done
  fail "nginx did not start: $(cat "$dir/error.log")"
}

# A 256 KiB firmware package; sets package_url, package_md5 and package_size.
make_firmware_package() {
  local file=$work/nginx/files/dock-fw-99.1.0.bin
  head -c 262144 /dev/urandom >"$file"
  package_url="https://127.0.0.1:$file_port/firmware/$(basename "$file")"
  package_md5=$(md5sum "$file" | cut -d' ' -f1)
  package_size=$(stat -c %s "$file")
}

# The cloud side answers update_topo, config, binding, storage_config_get (the object store), flight resources
# and job events in the background.
start_cloud_and_dock() {
  "$cloud" --broker "$uri" --store-endpoint "$store_endpoint" --store-bucket "$bucket" \
    --store-access-key "$access_key" --store-secret-key "$secret_key" serve >"$work/serve.log" 2>&1 &
  children+=($!)
  mkdir -p "$work/dock-files"
  "$sim" --broker "$uri" --sn "$sn" --speed 15 --osd-period-ms 500 --log-level warn \
    --files-dir "$work/dock-files" --http-ca "$work/tls/ca.pem" >"$work/sim.log" 2>&1 &
  sim_pid=$!
  children+=("$sim_pid")
  wait_for 100 grep -q "connected in" "$work/sim.log" || fail "dock-sim did not connect: $(cat "$work/sim.log")"
  grep "dock-sim:" "$work/sim.log"
}

call() { "$cloud" --broker "$uri" --timeout-s 15 --no-reply call "$sn" "$@"; }

remote_debugging() {
  step "cover_open outside remote debugging must be refused (514153)"
  if call cover_open --no-follow; then fail "cover_open was accepted outside remote debugging"; fi
  step "debug_mode_open"
  call debug_mode_open
  step "cover_open (job with progress)"
  call cover_open
  step "debug_mode_close"
  call debug_mode_close
  step "property set: height_limit 200"
  "$cloud" --broker "$uri" set "$sn" '{"height_limit":200}'
}

# Prints the bucket's objects (key, bytes) as s3rver keeps them: one ._S3rver_object file per object.
list_bucket() {
  [[ -d $work/s3/$bucket ]] || return 0
  (cd "$work/s3/$bucket" && find . -name '*._S3rver_object' -printf '%P %s\n' | sed 's/\._S3rver_object / /' | sort)
}
photos_in_bucket() { list_bucket | grep -c "^$sn/$flight_id/" || true; }

# Records the dock's events (mosquitto_sub) while the command after it runs: the flight's last flighttask_progress
# says how many photos it took (output.ext.media_count). Only plain tcp:// brokers; elsewhere 1 photo is awaited.
with_events_recorded() {
  local pid="" url=${uri/#tcp:\/\//mqtt://}
  : >"$work/events.log"
  if [[ $url == mqtt://* ]]; then
    mosquitto_sub -L "$url/thing/product/$sn/events" >"$work/events.log" 2>/dev/null &
    pid=$!
    children+=("$pid")
  fi
  "$@"
  # The final progress reached dock-cloud, so it reaches the recorder too: wait for it to be written.
  [[ -n $pid ]] && wait_for 50 grep -q '"media_count"' "$work/events.log"
  [[ -n $pid ]] && kill "$pid" 2>/dev/null
  return 0
}
photos_taken() {
  local count
  count=$(grep -o '"media_count":[0-9]*' "$work/events.log" | tail -1 | cut -d: -f2 || true)
  echo "${count:-1}"
}

flight_with_photos() {
  flight_id="demo-flight-$$"
  step "flighttask_prepare $flight_id"
  call flighttask_prepare "{\"flight_id\":\"$flight_id\",\"execute_time\":$(date +%s%3N),\"task_type\":0,\"rth_altitude\":60,\"file\":{\"url\":\"http://127.0.0.1/$flight_id.kmz\",\"fingerprint\":\"0123456789abcdef\"}}"
  step "flighttask_execute (flighttask_progress until done)"
  with_events_recorded call flighttask_execute "{\"flight_id\":\"$flight_id\"}"
  local expected
  expected=$(photos_taken)
  step "photos: the dock asks storage_config_get, uploads to the bucket, announces each with file_upload_callback"
  # A bound for a dock that never delivers, not a speed target: under ASan on a busy 2-core machine the uploads after
  # landing took just over 30 s once (all photos arrived right after the former bound).
  wait_for 1200 test "$(photos_in_bucket)" -ge "$expected" || fail "only $(photos_in_bucket) of $expected photos uploaded"
  echo "$expected photo(s) taken; bucket $bucket at $store_endpoint holds (key, bytes):"
  list_bucket | sed 's/^/  /'
}

ota_upgrade() {
  step "ota_create with a wrong MD5 must fail (312902: the package is checked before it is installed)"
  if "$cloud" --broker "$uri" --timeout-s 30 --no-reply ota "$sn" 99.0.9 "$package_url" \
    0123456789abcdef0123456789abcdef "$package_size"; then
    fail "an upgrade with a wrong MD5 succeeded"
  fi
  step "ota_create 99.1.0 from $package_url (MD5 $package_md5, $package_size bytes)"
  "$cloud" --broker "$uri" --timeout-s 30 --no-reply ota "$sn" 99.1.0 "$package_url" "$package_md5" "$package_size"
  local stored=$work/dock-files/ota-$sn.bin
  [[ -f $stored ]] || fail "the dock kept no package"
  [[ $(md5sum "$stored" | cut -d' ' -f1) == "$package_md5" ]] || fail "the dock's package differs from the served one"
  echo "OTA result: ok; the dock downloaded $(stat -c %s "$stored") bytes over HTTPS, found MD5 $package_md5"
  echo "            as ota_create said, and reported the upgrade to 99.1.0 done"
}

close_and_show_state() {
  step "debug_mode_open, cover_close, debug_mode_close"
  call debug_mode_open
  call cover_close
  call debug_mode_close
  step "dock state"
  "$cloud" --broker "$uri" --json --duration-s 1.2 watch | tail -1
}

if [[ $# -ge 1 ]]; then uri=$1; else start_broker; fi
start_object_store
make_certificates
start_file_server
make_firmware_package
start_cloud_and_dock
remote_debugging
flight_with_photos
ota_upgrade
close_and_show_state

step "stopping the simulator"
kill -TERM "$sim_pid"
wait "$sim_pid"
echo "demo: ok"
