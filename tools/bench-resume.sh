#!/usr/bin/env bash
# Benchmark: time from `hpsweep resume` to the sweep's first new epoch after a kill -9, for the
# depth-6 width-16 MLP (batch 256, batch norm). Prints the figure next to the length of one epoch,
# so the cost of restarting (JVM, data, journal, checkpoint restore) can be read off.
# Usage: bash tools/bench-resume.sh   (after mvn -q -DskipTests package)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
cd "$work"
cat > bench-resume.yaml <<'YAML'
name: bench-resume
seed: 42
dataset: {name: europe-cities}
model: {type: mlp}
objective: {metric: val_accuracy, mode: max}
epochs: 8
fixed: {depth: 6, width: 16, batch_norm: true, optimizer: adam, lr: 0.001}
search: {strategy: grid, params: [{batch_size: [256]}]}
execution: {max_concurrent_trials: 1, checkpoint_every: 1}
YAML
journal=logs/bench-resume/journal.jsonl
epochs() { grep -c '"type":"epoch"' "$journal" 2>/dev/null || echo 0; }
"$root/bin/hpsweep" run bench-resume.yaml > run.log 2>&1 &
pid=$!
until grep -q '"epochs_done":2' "$journal" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "run ended early:"; cat run.log; exit 1; }
  sleep 0.1
done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
before=$(epochs)
start=$(date +%s.%N)
"$root/bin/hpsweep" resume bench-resume > resume.log 2>&1 &
pid=$!
until [ "$(epochs)" -gt "$before" ]; do
  kill -0 "$pid" 2>/dev/null || { echo "resume ended early:"; cat resume.log; exit 1; }
  sleep 0.05
done
end=$(date +%s.%N)
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
epoch_s=$(grep '"type":"epoch"' "$journal" | tail -n 1 | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
awk -v s="$start" -v e="$end" -v ep="$epoch_s" 'BEGIN {
  printf "resume -> first new epoch journalled: %.2f s, of which the epoch itself %.2f s: restart overhead %.2f s\n", e - s, ep, e - s - ep }'
rm -rf "$work"
