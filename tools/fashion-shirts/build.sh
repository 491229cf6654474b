#!/usr/bin/env bash
# Rebuilds src/main/resources/datasets/fashion-shirts/ and fashion-pretrain/ from Debian's
# dataset-fashion-mnist (Fashion-MNIST, MIT licence, Zalando SE), byte for byte reproducibly.
# Usage (from anywhere, e.g. the repo root): bash tools/fashion-shirts/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get install -y dataset-fashion-mnist \
    || { $sudo apt-get update && $sudo apt-get install -y dataset-fashion-mnist; }
fi
python3 build.py
