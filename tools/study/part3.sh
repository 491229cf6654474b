#!/usr/bin/env bash
# Part 3 of the study as one chain: the pre-training sweep first (the probe, fine-tune and
# logistic-regression files start from its best model), then the five baselines, each run and
# reported by run.sh, then one comparison of the five: the Part 3 table (baseline x learning rate,
# best per baseline marked) and the five test images the best baseline gets right and the worst
# gets wrong, in logs/study-3-comparison/. About 3-4 minutes on 2 cores (docs/STUDY.md).
#
#   tools/study/part3.sh [--seed N]
#
# --seed N runs the whole chain again with another seed: copies of the six files in
# logs/study-inputs/ with `seed: N`, their names suffixed "-sN" (the three that start from the
# pre-trained model start from study-3-pretrain-sN), compared in logs/study-3-comparison-sN/.
# tools/study/part3_seeds.sh then summarises the seeds with bin/hpsweep report.
# Two trials run at a time (HPSWEEP_CONCURRENT to change). Re-running it resumes or skips what is done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export HPSWEEP_CONCURRENT="${HPSWEEP_CONCURRENT:-2}"
suffix=""
if [ "${1:-}" = "--seed" ]; then
  [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "part3.sh: --seed takes a whole number, got '${2:-}'" >&2; exit 2; }
  suffix="-s$2"
fi
file_of() { # the study file for a Part 3 step, or its copy for --seed
  local base="search-spaces/study-3-$1.yaml"
  if [ -z "$suffix" ]; then echo "$base"; return; fi
  mkdir -p logs/study-inputs
  local copy="logs/study-inputs/study-3-$1$suffix.yaml"
  sed -e "s/^name:[[:space:]]*study-3-$1[[:space:]]*$/name: study-3-$1$suffix/" -e "s/^seed:.*/seed: ${2}/" \
      -e "s/sweep: study-3-pretrain\([,}]\)/sweep: study-3-pretrain$suffix\1/" "$base" > "$copy"
  grep -q "^name: study-3-$1$suffix$" "$copy" || { echo "part3.sh: could not rename $base" >&2; exit 2; }
  echo "$copy"
}
seed="${2:-}"
tools/study/run.sh "$(file_of pretrain "$seed")"
files=(); sweeps=()
for b in xgboost scratch probe logreg finetune; do
  files+=("$(file_of "$b" "$seed")"); sweeps+=("study-3-$b$suffix")
done
tools/study/run.sh "${files[@]}"
bin/hpsweep report "${sweeps[@]}" --compare-only --compare-dir "logs/study-3-comparison$suffix"
