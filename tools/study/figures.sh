#!/usr/bin/env bash
# Copies the report PNGs that docs/STUDY.md shows from logs/<sweep>/report/ to docs/study/,
# after tools/study/run.sh (or bin/hpsweep report) has drawn them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
logs="${1:-$root/logs}"
out="$root/docs/study"
mkdir -p "$out"
while read -r sweep png name; do
  cp "$logs/$sweep/report/$png" "$out/$name"
done <<'LIST'
study-1.1-learning-rate validation-curves.png 1.1-validation-curves.png
study-1.2-epochs trial-0001-curves.png 1.2-curves.png
study-1.3-batch-norm validation-curves.png 1.3-validation-curves.png
study-1.4-batch-size batch-loss.png 1.4-batch-loss.png
study-1.4-batch-size trial-0001-batch-loss.png 1.4-batch-1-loss.png
study-1.4-batch-size validation-curves.png 1.4-validation-curves.png
study-2-depth-width trial-0007-curves.png 2.1-best-curves.png
study-2-depth-width trial-0007-prediction-map.png 2.1-best-prediction-map.png
study-2-depth-width trial-0001-curves.png 2.2-worst-curves.png
study-2-depth-width trial-0001-prediction-map.png 2.2-worst-prediction-map.png
study-2-depth-width accuracy-vs-depth-width_16.png 2.3-accuracy-vs-depth.png
study-2-depth-width accuracy-vs-width-depth_6.png 2.4-accuracy-vs-width.png
study-2.5-gradients trial-0001-gradients.png 2.5-gradients.png
study-2.5-gradients trial-0002-gradients.png 2.5-gradients-no-batch-norm.png
study-2.6-gradient-fix trial-0001-gradients.png 2.6-gradients.png
study-2.6-gradient-fix trial-0001-curves.png 2.6-curves.png
study-2.7-implicit-representation trial-0001-prediction-map.png 2.7-raw-prediction-map.png
study-2.7-implicit-representation trial-0002-prediction-map.png 2.7-sine-prediction-map.png
study-2.7-implicit-representation validation-curves.png 2.7-validation-curves.png
study-3-scratch accuracy-vs-lr.png 3-scratch-accuracy-vs-lr.png
study-3-probe accuracy-vs-lr.png 3-probe-accuracy-vs-lr.png
study-3-finetune accuracy-vs-lr.png 3-finetune-accuracy-vs-lr.png
study-3-scratch trial-0001-confusion.png 3-scratch-lr-0.1-confusion.png
LIST
# tools/study/part3.sh's comparison of the Part 3 baselines
if [ -f "$logs/study-3-comparison/five-images.png" ]; then
  cp "$logs/study-3-comparison/five-images.png" "$out/3.6-five-images.png"
fi
echo "copied $(ls "$out" | wc -l) figures to $out"
