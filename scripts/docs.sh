#!/usr/bin/env bash
# Builds the API reference of the public headers (sdk/include, ports/include; configuration docs/Doxyfile) into
# build-docs/html/ and fails on any Doxygen warning: an undocumented public symbol or a broken reference is an
# error, so every public symbol stays documented. Open build-docs/html/index.html. Takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh docs
rm -rf build-docs
# WARN_AS_ERROR = FAIL_ON_WARNINGS: Doxygen reports every warning, then exits non-zero.
if ! doxygen docs/Doxyfile; then
  echo "docs: Doxygen warnings above (document each named symbol with a /// comment)" >&2
  exit 1
fi
echo "docs: build-docs/html/index.html"
