#!/usr/bin/env bash
# Part 3 over several seeds: every baseline's sweeps that tools/study/part3.sh has run so far (the
# files' own seed, and study-3-B-sN for each --seed N) compared by one `bin/hpsweep report`, whose
# comparison summarises sweeps that differ only in their seed: test accuracy per baseline and
# learning rate over the seeds (mean ± sample standard deviation, each seed's value), and each
# baseline's best trial by its sweep's objective (validation accuracy) over the seeds, with how
# often it was the best and the worst of the baselines. Into LOGS_DIR/study-3-seeds/ (table.md,
# comparison.html with the seed tables; table.csv and five-images.png as for any comparison; the
# console prints the tables); each sweep's own report is left as it is. Exit code 2 with fewer
# than 2 Part 3 sweeps.
#
#   tools/study/part3_seeds.sh [LOGS_DIR]        (default: logs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
logs="$(realpath "${1:-logs}")"
sweeps=()
for b in xgboost scratch probe logreg finetune; do
  for d in "$logs/study-3-$b" "$logs"/study-3-$b-s[0-9]*; do
    [ -f "$d/provenance.json" ] && sweeps+=("$(basename "$d")")
  done
done
[ ${#sweeps[@]} -ge 2 ] || { echo "part3_seeds.sh: ${#sweeps[@]} Part 3 sweep(s) under $logs, 2 or more needed; run tools/study/part3.sh first" >&2; exit 2; }
bin/hpsweep report "${sweeps[@]}" --logs "$logs" --compare-only --compare-dir "$logs/study-3-seeds"
