#!/usr/bin/env bash
# Makes data/austen/pride-and-prejudice.txt.gz from Debian's r-cran-janeaustenr 1.0.0 (the CRAN package janeaustenr by
# Julia Silge, which holds the Project Gutenberg texts of Jane Austen's six novels as R character vectors, one line each).
# Usage (from the repository root, on Debian/Ubuntu with apt; needs R, which it installs if missing):
#   bash data/scripts/austen.sh
# Output: the novel exactly as the package stores it (lines joined with "\n", a final "\n"), gzip -9 without a time stamp,
# so running it twice gives the same bytes. SHA-256 of the uncompressed text is printed for the datasheet.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/data/austen"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download r-cran-janeaustenr >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download r-cran-janeaustenr >/dev/null; }
dpkg-deb -x r-cran-janeaustenr_*.deb pkg
command -v Rscript >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core >/dev/null
rdb=$(find pkg -path '*/janeaustenr/data/Rdata.rdb' | head -1)
Rscript -e "e <- new.env(); invisible(lazyLoad('${rdb%.rdb}', envir = e)); writeLines(get('prideprejudice', e), 'pride-and-prejudice.txt')"
mkdir -p "$out"
gzip -n -9 -c pride-and-prejudice.txt > "$out/pride-and-prejudice.txt.gz"
cp pkg/usr/share/doc/r-cran-janeaustenr/copyright "$out/LICENSE.janeaustenr"
echo "wrote $out/pride-and-prejudice.txt.gz: $(wc -c < pride-and-prejudice.txt) bytes, $(wc -l < pride-and-prejudice.txt) lines, $(wc -c < "$out/pride-and-prejudice.txt.gz") compressed"
echo "sha256 of the text: $(sha256sum pride-and-prejudice.txt | cut -d' ' -f1)"
