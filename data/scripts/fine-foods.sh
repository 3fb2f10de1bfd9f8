#!/usr/bin/env bash
# Rebuilds data/fine-foods/{train,test}.csv.gz from the Debian package r-cran-modeldata 1.1.0 (R data set
# small_fine_foods: Amazon Fine Food reviews, MIT). Needs apt-get (root) and R (r-base-core, installed if absent).
#   bash data/scripts/fine-foods.sh            # writes data/fine-foods/ next to this script's data folder
# The CSV files are exactly what R's write.csv writes for the package's tibbles training_data and testing_data
# (columns product, review, score; every field quoted, quotes doubled; UTF-8), gzip-compressed without a timestamp
# (gzip -n), so the same package gives the same bytes. The SHA-256 sums in data/README.md identify them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/fine-foods"
mkdir -p "$out"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; cd "$work"
command -v Rscript >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core >/dev/null
apt-get download r-cran-modeldata=1.1.0-1 >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download r-cran-modeldata=1.1.0-1 >/dev/null; }
dpkg-deb -x r-cran-modeldata_1.1.0-1_all.deb x
rdata=$(find x -path '*/modeldata/data/Rdata.rdb' | head -1)
Rscript -e "e <- new.env(); invisible(lazyLoad('${rdata%.rdb}', envir = e));
  write.csv(e\$training_data, 'train.csv', row.names = FALSE, fileEncoding = 'UTF-8');
  write.csv(e\$testing_data, 'test.csv', row.names = FALSE, fileEncoding = 'UTF-8')"
for split in train test; do gzip -n -9 -c "$split.csv" > "$out/$split.csv.gz"; done
cp x/usr/share/doc/r-cran-modeldata/copyright "$out/LICENSE"
echo "fine-foods: train $(($(wc -l < train.csv) - 1)) reviews, test $(($(wc -l < test.csv) - 1)) reviews → $out"
(cd "$out" && sha256sum train.csv.gz test.csv.gz)
