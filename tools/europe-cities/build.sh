#!/usr/bin/env bash
# Rebuilds src/main/resources/datasets/europe-cities/ from the pinned npm package.
# Usage (from anywhere, e.g. the repo root): bash tools/europe-cities/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund
node build.mjs
