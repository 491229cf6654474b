#!/usr/bin/env bash
# Peer benchmark (docs/BENCHMARKS.md, "Against Optuna + PyTorch"): the same work with hpsweep and
# with Optuna + PyTorch, side by side in one run, on the same europe-cities files:
#   grid    the study's depth/width grid (7 MLPs, batch norm, Adam 1e-3, batch 256, EPOCHS epochs,
#           2 trials at a time, one thread each): wall time of each whole command, and the ratio
#   one     one trial alone (depth 6, width 16, batch norm): training samples/s per epoch
#           (train pass with train-mode metrics, validation and test evaluated) on each side
#   batch1  question 1.4's batch-size-1 epoch (depth 6, width 16, no batch norm): iterations/s
# Each side's epochs do the same work: train loss/accuracy from each step's forward pass, then
# validation and test in inference mode.
#
#   bash tools/bench-peer/run.sh [EPOCHS]        (default 5; build first: mvn -B -q -DskipTests package)
#
# Needs Debian's python3-optuna and python3-torch (apt-get install python3-optuna python3-torch);
# the script installs nothing and skips the Python side if they are missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
epochs="${1:-5}"
out="${BENCH_DIR:-/tmp/hpsweep-bench-peer}"
rm -rf "$out"; mkdir -p "$out"
data="src/main/resources/datasets/europe-cities"
py=/usr/bin/python3
have_py=1
$py -c "import optuna, torch" 2>/dev/null || { have_py=0; echo "python3-optuna or python3-torch missing: hpsweep side only"; }

space() { # name fixed search concurrent epochs
  cat > "$out/$1.yaml" <<YAML
name: $1
seed: 42
dataset: {name: europe-cities}
model: {type: mlp}
objective: {metric: val_accuracy, mode: max}
epochs: $5
fixed: $2
search: {strategy: grid, params: [$3]}
execution: {max_concurrent_trials: $4, threads_per_trial: 1}
early_stopping: {type: none}
YAML
}
space peer-grid "{batch_norm: true, optimizer: adam, lr: 0.001, batch_size: 256}" \
  "{zip: {depth: [1, 2, 6, 10, 6, 6, 6], width: [16, 16, 16, 16, 8, 32, 64]}}" 2 "$epochs"
space peer-one "{depth: 6, width: 16, batch_norm: true, optimizer: adam, lr: 0.001}" "{batch_size: [256]}" 1 "$epochs"
space peer-batch1 "{depth: 6, width: 16, batch_norm: false, optimizer: adam, lr: 0.001}" "{batch_size: [1]}" 1 1

now() { date +%s.%N; }
hp() { bin/hpsweep run "$out/$1.yaml" --logs "$out/logs" --checkpoints "$out/checkpoints" > "$out/$1.log" 2>&1; }
# Sum of the epochs' own seconds (train + evaluation) and samples, from metrics.jsonl.
epoch_stats() {
  $py - "$out/logs/$1" <<'PY'
import json, pathlib, sys
s = n = it = 0
for f in pathlib.Path(sys.argv[1]).glob("trials/*/metrics.jsonl"):
    for line in f.read_text().splitlines():
        r = json.loads(line); s += r["seconds"]; n += r["samples"]; it += r["iterations"]
print(s, n, it)
PY
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(date -u +%F)"
t0=$(now); hp peer-grid; t1=$(now)
hp_grid=$(echo "$t1 - $t0" | bc -l)
if [ $have_py = 1 ]; then
  t0=$(now); py_grid_json=$($py tools/bench-peer/optuna_torch.py grid "$data" "$epochs" 2); t1=$(now)
  py_grid=$(echo "$t1 - $t0" | bc -l)
fi
t0=$(now); hp peer-one; t1=$(now)
hp_one_wall=$(echo "$t1 - $t0" | bc -l)
read -r hp_one_s hp_one_n _ <<< "$(epoch_stats peer-one)"
[ $have_py = 1 ] && py_one_json=$($py tools/bench-peer/optuna_torch.py one "$data" "$epochs")
hp peer-batch1
read -r hp_b1_s _ hp_b1_it <<< "$(epoch_stats peer-batch1)"
[ $have_py = 1 ] && py_b1_json=$($py tools/bench-peer/optuna_torch.py batch1 "$data" "$hp_b1_it")

$py - "$epochs" "$hp_grid" "${py_grid:-nan}" "$hp_one_s" "$hp_one_n" "$hp_one_wall" "$hp_b1_s" "$hp_b1_it" \
  "${py_grid_json:-{\}}" "${py_one_json:-{\}}" "${py_b1_json:-{\}}" <<'PY'
import json, math, sys
a = sys.argv[1:]
epochs, hp_grid, py_grid = int(a[0]), float(a[1]), float(a[2])
hp_one_s, hp_one_n, hp_one_wall, hp_b1_s, hp_b1_it = map(float, a[3:8])
pg, po, pb = (json.loads(x) for x in a[8:11])
def ratio(x, y):
    return "-" if math.isnan(x) or math.isnan(y) or y == 0 else f"{x / y:.2f}"
print(f"Optuna {pg.get('optuna', '-')}, PyTorch {po.get('torch', '-')}; {epochs} epochs")
print(f"grid, 7 trials 2 at a time, whole command:  hpsweep {hp_grid:7.1f} s   Optuna+PyTorch {py_grid:7.1f} s"
      f"   ratio {ratio(hp_grid, py_grid)}")
py_sps = po["samples"] / po["seconds"] if po else float("nan")
print(f"one trial, samples/s of its epochs:        hpsweep {hp_one_n / hp_one_s:7.0f}     PyTorch {py_sps:7.0f}"
      f"     ratio (PyTorch/hpsweep) {ratio(py_sps, hp_one_n / hp_one_s)}")
print(f"   hpsweep outside its epochs (JVM start, data, set-up, files): {hp_one_wall - hp_one_s:.1f} s of {hp_one_wall:.1f} s")
py_its = pb["iterations"] / pb["seconds"] if pb else float("nan")
print(f"batch-size-1 epoch, iterations/s:          hpsweep {hp_b1_it / hp_b1_s:7.0f}     PyTorch {py_its:7.0f}"
      f"     ratio (PyTorch/hpsweep) {ratio(py_its, hp_b1_it / hp_b1_s)}")
PY
