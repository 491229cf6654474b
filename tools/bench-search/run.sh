#!/usr/bin/env bash
# Early stopping and search benchmark (docs/BENCHMARKS.md, "Early stopping and search (issue 4)").
# For each seed, runs the three sweeps of search-spaces/bench/ with that seed through bin/hpsweep:
#   random       16 random trials x 8 epochs, no early stopping (the baseline)
#   random-asha  the same 16 trials (same seed: same parameters, same initial weights), ASHA
#   tpe          TPE, 5 random startup trials (the baseline's first 5) then 11 proposed ones
# then prints, per seed and averaged: epochs trained and best val_accuracy with and without ASHA,
# and the best val_accuracy of random and TPE after N trials (in trial order).
# Usage: bash tools/bench-search/run.sh [SEEDS...]   (default: 1 2 3; build first with
#        mvn -B -q -DskipTests package). Results go to ${BENCH_DIR:-/tmp/hpsweep-bench-search}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${BENCH_DIR:-/tmp/hpsweep-bench-search}"
seeds=("$@")
[ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3)
mkdir -p "$out/spaces"
for seed in "${seeds[@]}"; do
  for variant in random random-asha tpe; do
    name="bench-$variant-s$seed"
    file="$out/spaces/$name.yaml"
    sed -e "s/^name: .*/name: $name/" -e "s/^seed: .*/seed: $seed/" "$root/search-spaces/bench/$variant.yaml" > "$file"
    if [ -f "$out/logs/$name/leaderboard.csv" ] && grep -q "sweep ended" "$out/logs/$name/leaderboard.log"; then
      echo "== $name: done before, kept"
      continue
    fi
    echo "== $name"
    start=$(date +%s)
    "$root/bin/hpsweep" run "$file" --fresh --logs "$out/logs" --checkpoints "$out/checkpoints" > "$out/$name.out" 2>&1
    echo "   $(( $(date +%s) - start ))s, $(tail -1 "$out/$name.out")"
  done
done
python3 "$root/tools/bench-search/summarize.py" "$out/logs" "${seeds[@]}"
