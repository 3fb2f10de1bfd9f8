#!/usr/bin/env bash
# The course's test command (README): builds the solution, runs every library test and executes every
# notebook in quick mode. Its last line is "N passed, N failed, N skipped" (what CI reads); its exit code
# is dotnet test's, and a build error never reports green. Extra arguments go to dotnet test.
set -uo pipefail
cd "$(dirname "$0")/.."
# dotnet-repl (pinned in dotnet-tools.json) runs every notebook in a real .NET Interactive host.
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet test AttentionCourse.sln --logger "trx" --results-directory "$results" "$@"
rc=$?
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error)))
  skipped=$((skipped + $(count total) - $(count executed)))
done
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build error or crash is a failure
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
