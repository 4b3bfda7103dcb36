#!/usr/bin/env bash
# Fails when a file of the repository names a path outside it: the project's own documents (docs/) carry every fact
# the code relies on, so a clone needs nothing else. Also fails on section numbers (§) citing such a document, and
# on a reference docs/NAME.md#anchor whose document has no such anchor. Looks at the files git knows (tracked and
# new, not ignored); outside a git checkout, at every file but build directories.
#   scripts/check-self-contained.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-"$(dirname "$0")/.."}
cd "$root"
# The patterns are split so this script does not match itself.
patterns=('\.\./shared/' '/wor''k/' 'shared/proto''col/' 'shared/no''tes/')
args=()
for p in "${patterns[@]}"; do args+=(-e "$p"); done

list_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard
  else
    find . -path './build*' -prune -o -path './.git' -prune -o -type f -print0
  fi
}

# -I skips binary files; -l names each offending file once, then -n shows where.
mapfile -t offenders < <(list_files | xargs -0 -r grep -I -l -E "${args[@]}" -- 2>/dev/null || true)
if ((${#offenders[@]} > 0)); then
  echo "Paths outside the repository (carry the facts into docs/ instead):" >&2
  grep -I -H -n -E "${args[@]}" -- "${offenders[@]}" >&2 || true
  exit 1
fi

# Section numbers (a section sign and digits) were how comments cited the outside reference; they cite
# docs/NAME.md#anchor now. A standard's section ("RFC 4122" followed by one) is fine.
mapfile -t cited < <(list_files | xargs -0 -r grep -I -H -n -E '§ ?[0-9]' -- 2>/dev/null |
  grep -v -E 'RFC [0-9]+ §' || true)
if ((${#cited[@]} > 0)); then
  echo "Section numbers of a document outside the repository; cite an anchor of docs/protocol.md instead:" >&2
  printf '%s\n' "${cited[@]}" >&2
  exit 1
fi

# Every reference docs/NAME.md#anchor must name an anchor (<a id="anchor">) that the document has.
missing=0
while IFS= read -r ref; do
  doc=${ref%%#*} anchor=${ref#*#}
  if [[ ! -f "$doc" ]] || ! grep -q "<a id=\"$anchor\"></a>" "$doc"; then
    echo "dangling reference: $ref" >&2
    missing=1
  fi
done < <(list_files | xargs -0 -r grep -I -h -o -E 'docs/[a-z0-9_-]+\.md#[a-z0-9-]+' -- 2>/dev/null | sort -u)
((missing == 0)) || exit 1
echo "self-contained: no file names a path outside the repository; every docs/*.md#anchor reference resolves"
