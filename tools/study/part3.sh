#!/usr/bin/env bash
# Part 3 of the study as one chain: the pre-training sweep first (the probe, fine-tune and
# logistic-regression files start from its best model), then the five baselines, each run and
# reported by run.sh, then one comparison of the five: the Part 3 table (baseline x learning rate,
# best per baseline marked) and the five test images the best baseline gets right and the worst
# gets wrong, in logs/study-3-comparison/. About 30-40 minutes on 2 cores (docs/STUDY.md).
#
#   tools/study/part3.sh
#
# Two trials run at a time (HPSWEEP_CONCURRENT to change). Re-running it resumes or skips what is done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export HPSWEEP_CONCURRENT="${HPSWEEP_CONCURRENT:-2}"
tools/study/run.sh search-spaces/study-3-pretrain.yaml
files=(); sweeps=()
for b in xgboost scratch probe logreg finetune; do
  files+=("search-spaces/study-3-$b.yaml"); sweeps+=("study-3-$b")
done
tools/study/run.sh "${files[@]}"
bin/hpsweep report "${sweeps[@]}" --maps none --compare-dir logs/study-3-comparison
