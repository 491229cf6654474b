#!/usr/bin/env bash
# Checks the user-model-type path end to end with examples/custom-trainer (softmax regression):
#   1. installs the hpsweep just built (target/hpsweep.jar + pom.xml) into a Maven local repository
#      this script owns, and builds the example against it, with its TrainerContract test;
#   2. runs a 2-trial sweep of the example's model type through bin/hpsweep (HPSWEEP_CLASSPATH):
#      once straight through, once killed with kill -9 mid-sweep and then resumed; every trial's
#      metrics.jsonl (minus "seconds"/"timeMillis"), leaderboard.csv (minus its seconds column) and
#      saved model must equal the straight run's exactly;
#   3. a typo in a parameter of the example's model type must give exit code 2 and file:line:column;
#   4. model: {class: ...} finds the same model type.
# Usage, from the repository root after `mvn -q -DskipTests package` (CI: after the test suite):
#   tools/check-custom-trainer.sh          KEEP=1 keeps the work directory; EPOCHS=N (default 40)
# Exit code 0 when all holds, 1 (with a diff) when not.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
example="$root/examples/custom-trainer"
epochs="${EPOCHS:-40}"
say() { printf 'check-custom-trainer: %s\n' "$*"; }
fail() { printf 'check-custom-trainer: FAILED: %s\n' "$*" >&2; exit 1; }

[ -f "$root/target/hpsweep.jar" ] && [ -d "$root/target/lib" ] \
  || fail "hpsweep is not built; run 'mvn -q -DskipTests package' in $root first"
if [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$root/target/hpsweep.jar" -type f -print -quit)" ]; then
  say "warning: src/main or pom.xml is newer than target/hpsweep.jar; checking the jar as built"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/check-custom-trainer.XXXXXX")"
pids=()
cleanup() {
  local p
  for p in ${pids[@]+"${pids[@]}"}; do kill -9 "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then say "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- 1. Install hpsweep, build the example -------------------------------------------------------
# The local repository: $work/m2, owned by this script, so the check never replaces the
# dev.hpsweep:hpsweep:0.1.0-SNAPSHOT a developer (or a concurrent CI job) has in ~/.m2, and the
# example resolves exactly the jar this checkout built. A fresh empty repository would download
# ~1 GB (DL4J's natives) and fail offline; copying or hard-linking ~/.m2 costs a walk over tens of
# thousands of files, and hard links would let Maven's in-place rewrites of metadata reach ~/.m2.
# So $work/m2 is an overlay: each top-level entry of ~/.m2/repository is a symlink to it, except
# dev/, a real directory whose entries are symlinks too, except dev/hpsweep, which install-file
# fills here. Maven reads the cache through the links (and anything it has to download lands in
# ~/.m2, a cache, as it would without this script). install:install-file installs the jar already
# built, with its pom so the example sees hpsweep's dependencies, without running hpsweep's
# build again (`mvn install` would re-package, and rewrite target/ under a running sweep).
# (Maven 3.9's maven.repo.local.tail would do this natively; this runs on Maven 3.8 too.)
cache="${CHECK_M2_REPO:-$HOME/.m2/repository}"
repo="$work/m2"
mkdir -p "$repo/dev"
if [ -d "$cache" ]; then
  for entry in "$cache"/* "$cache"/dev/*; do
    [ -e "$entry" ] || continue
    rel="${entry#"$cache"/}"
    case "$rel" in dev | dev/hpsweep) continue ;; esac
    ln -s "$entry" "$repo/$rel"
  done
else
  say "warning: no Maven cache at $cache; Maven downloads everything into $repo"
fi
# Maven's output goes to a log, shown when it fails (Debian's Maven 3.8 prints colour resets even with -q).
mvn_args=(-q -B "-Dmaven.repo.local=$repo")
(cd "$work" && mvn "${mvn_args[@]}" org.apache.maven.plugins:maven-install-plugin:3.1.2:install-file \
  "-Dfile=$root/target/hpsweep.jar" "-DpomFile=$root/pom.xml") > "$work/install.log" 2>&1 \
  || { cat "$work/install.log"; fail "installing hpsweep into $repo"; }
say "installed target/hpsweep.jar (dev.hpsweep:hpsweep:0.1.0-SNAPSHOT, with its pom) into $repo"

t0=$SECONDS
rm -rf "$example/target/surefire-reports"
mvn "${mvn_args[@]}" -f "$example/pom.xml" package > "$work/example.log" 2>&1 \
  || { cat "$work/example.log"; fail "building examples/custom-trainer (see above)"; }
plugin="$example/target/softmax-trainer.jar"
tests=$(cat "$example"/target/surefire-reports/*.txt 2>/dev/null | grep -h '^Tests run' || true)
say "built examples/custom-trainer in $((SECONDS - t0))s: ${tests:-no test report}"
[ -f "$plugin" ] || fail "no $plugin"

# --- 2. Straight, killed + resumed, compared -------------------------------------------------------
cd "$work"
cat > softmax-resume.yaml <<YAML
name: softmax-resume
seed: 42
dataset: {name: europe-cities}
model: {type: softmax-regression}
objective: {metric: val_accuracy, mode: max}
epochs: $epochs
fixed: {batch_size: 32, l2: 0.0001, standardize: true}
search: {strategy: grid, params: [{lr: [0.05, 0.5]}]}
execution: {max_concurrent_trials: 2, threads_per_trial: 1, checkpoint_every: 1}
early_stopping: {type: none}
YAML
total=$((2 * epochs))
export HPSWEEP_CLASSPATH="$plugin"
hpsweep="$root/bin/hpsweep"
epochs_logged() { cat "$1"/logs/softmax-resume/trials/*/metrics.jsonl 2>/dev/null | grep -c '"epoch"' || true; }

t0=$SECONDS
rc=0
"$hpsweep" run softmax-resume.yaml --logs ref/logs --checkpoints ref/checkpoints > ref.out 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat ref.out; fail "the reference run exited with $rc"; }
n=$(epochs_logged ref)
[ "$n" = "$total" ] || { cat ref.out; fail "the reference run logged $n of $total epochs"; }
say "reference run: 2 trials x $epochs epochs in $((SECONDS - t0))s"

"$hpsweep" run softmax-resume.yaml --logs killed/logs --checkpoints killed/checkpoints > killed.out 2>&1 &
pid=$!
pids+=("$pid")
log=killed/logs/softmax-resume/leaderboard.log
deadline=$((SECONDS + 180))
until grep -Eq 'trial-[0-9]+ .* epoch [0-9]+/[0-9]+ ' "$log" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat killed.out; fail "the run to be killed ended before its first epoch"; }
  [ "$SECONDS" -lt "$deadline" ] || fail "no epoch in $log after 180s"
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || fail "the run to be killed had already ended: make the sweep bigger (EPOCHS)"
wait "$pid" 2>/dev/null || true
n=$(epochs_logged killed)
ckpts=$(find killed/checkpoints -name '*.ckpt' | wc -l)
[ "$n" -lt "$total" ] || fail "the kill came after the sweep's last epoch ($n of $total): make it bigger (EPOCHS)"
say "second run killed with kill -9 after its first epoch line: $n of $total epochs logged, $ckpts checkpoint files"

t0=$SECONDS
rc=0
"$hpsweep" resume softmax-resume --logs killed/logs --checkpoints killed/checkpoints > resume.out 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat resume.out; fail "resume exited with $rc"; }
say "resumed in $((SECONDS - t0))s: $(grep -m1 -E '^sweep softmax-resume ended' resume.out || tail -n 1 resume.out)"
grep -E '^trial-[0-9]+: continues' resume.out | sed 's/^/  /' || true

# metrics.jsonl without wall-clock fields; leaderboard.csv without its seconds column.
strip_metrics() { sed -E 's/,?"(seconds|timeMillis)":[^,}]*//g' "$1"; }
strip_csv() {
  awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seconds") drop[i] = 1 }
    { line = ""; sep = ""; for (i = 1; i <= NF; i++) if (!(i in drop)) { line = line sep $i; sep = OFS }; print line }' "$1"
}
same=0
differ() { say "DIFFERS: $1"; same=1; }
refdir=ref/logs/softmax-resume
gotdir=killed/logs/softmax-resume
ref_trials=$(cd "$refdir/trials" && ls)
got_trials=$(cd "$gotdir/trials" && ls)
[ "$ref_trials" = "$got_trials" ] || differ "trials: $(echo $ref_trials) vs $(echo $got_trials)"
for t in $ref_trials; do
  if ! diff -u <(strip_metrics "$refdir/trials/$t/metrics.jsonl") <(strip_metrics "$gotdir/trials/$t/metrics.jsonl") \
      > "$t.metrics.diff"; then
    cat "$t.metrics.diff"; differ "$t/metrics.jsonl"
  fi
  if [ ! -f "$refdir/trials/$t/model.zip" ]; then
    differ "$t saved no model.zip in the reference run"
  elif ! cmp -s "$refdir/trials/$t/model.zip" "$gotdir/trials/$t/model.zip"; then
    differ "$t/model.zip (the saved weights)"
  fi
done
if ! diff -u <(strip_csv "$refdir/leaderboard.csv") <(strip_csv "$gotdir/leaderboard.csv") > leaderboard.diff; then
  cat leaderboard.diff; differ "leaderboard.csv"
fi
[ "$same" = 0 ] || fail "the killed and resumed sweep differs from the straight one (diffs above)"
say "killed + resumed = straight: $(echo $ref_trials) metrics.jsonl ($epochs epochs each), saved models and leaderboard.csv identical"

# --- 3. A typo in the model's parameters --------------------------------------------------------
sed 's/l2: 0.0001/l2_penalty: 0.0001/' softmax-resume.yaml > typo.yaml
line=$(grep -n 'l2_penalty' typo.yaml | cut -d: -f1)
column=$(awk -v l="$line" 'NR == l { print index($0, "l2_penalty") }' typo.yaml)
rc=0
"$hpsweep" run typo.yaml --logs typo/logs --checkpoints typo/checkpoints > typo.out 2>&1 || rc=$?
message=$(grep -m1 'error' typo.out || true)
[ "$rc" = 2 ] || { cat typo.out; fail "a typo in a model parameter exited with $rc, expected 2"; }
grep -q "typo.yaml:$line:$column: .*l2_penalty" typo.out \
  || { cat typo.out; fail "the typo's message does not name typo.yaml:$line:$column"; }
say "typo l2_penalty: exit 2, $message"

# --- 4. The same model type named by its class ----------------------------------------------------
sed 's/model: {type: softmax-regression}/model: {class: com.example.softmax.SoftmaxRegressionModel}/' \
  softmax-resume.yaml > by-class.yaml
rc=0
"$hpsweep" validate by-class.yaml > by-class.out 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat by-class.out; fail "model: {class: com.example.softmax.SoftmaxRegressionModel} gave exit $rc"; }
say "model: {class: com.example.softmax.SoftmaxRegressionModel}: validate exit 0"
say "OK"
