#!/usr/bin/env bash
# Installs the S3 test server (@20minutes/s3rver, which verifies Signature V4) with npm into a cache folder of the
# build tree, for the upload integration tests and the demo only (never global, never shipped). Idempotent: an
# install of the right version is reused, so only the first run needs the npm registry.
#   scripts/s3rver-install.sh <cache dir>
set -euo pipefail

readonly package="@20minutes/s3rver"
readonly version="5.0.0"
dir=${1:?usage: $0 <cache dir>}
manifest="$dir/node_modules/$package/package.json"

if [[ -f "$manifest" ]] && grep -q "\"version\": \"$version\"" "$manifest"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "s3rver-install: no npm (scripts/install-deps.sh installs Debian's nodejs and npm)" >&2
  exit 1
fi
mkdir -p "$dir"
# It declares node >= 24 but runs on node 20 (what this machine kind ships); --no-save keeps no package.json here.
npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$package@$version" >&2
test -f "$manifest"
