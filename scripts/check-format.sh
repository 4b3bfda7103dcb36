#!/usr/bin/env bash
# Fails when a C++ file tracked by git is not formatted as .clang-format says, naming each place. Fix with
#   git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh format
git ls-files -z -- '*.cpp' '*.hpp' '*.cc' '*.h' | xargs -0 -r clang-format --dry-run -Werror
echo "check-format: clean"
