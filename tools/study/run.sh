#!/usr/bin/env bash
# Runs study search-space files one after another, then `hpsweep report` on each, and appends
# wall times to logs/study-times.txt. docs/STUDY.md's full-size numbers come from this script.
#
#   tools/study/run.sh [--epochs N] FILE...
#
# --epochs N runs a copy of each file with `epochs: N` and the sweep name suffixed "-eN"
# (for the models a 2-core machine cannot train to the file's epoch count in one sitting);
# STUDY.md says which rows were made that way. Each sweep runs one trial at a time
# (HPSWEEP_CONCURRENT to change), so two lanes of this script keep 2 cores busy.
# Re-running a finished file is a no-op; an interrupted one is resumed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
epochs=""
if [ "${1:-}" = "--epochs" ]; then epochs="$2"; shift 2; fi
mkdir -p logs
for file in "$@"; do
  name=$(sed -n 's/^name:[[:space:]]*//p' "$file" | head -1)
  if [ -n "$epochs" ]; then
    copy="logs/study-inputs/${name}-e${epochs}.yaml"
    mkdir -p logs/study-inputs
    sed -e "s/^name:.*/name: ${name}-e${epochs}/" -e "s/^epochs:.*/epochs: ${epochs}/" "$file" > "$copy"
    file="$copy"; name="${name}-e${epochs}"
  fi
  start=$(date +%s)
  if [ -f "logs/$name/journal.jsonl" ]; then
    bin/hpsweep resume --max-concurrent "${HPSWEEP_CONCURRENT:-1}" "$name" || true
  else
    bin/hpsweep run --max-concurrent "${HPSWEEP_CONCURRENT:-1}" "$file"
  fi
  end=$(date +%s)
  bin/hpsweep report "$name" --maps best,worst
  echo "$(date -u +%FT%TZ) $name $((end - start)) s on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >> logs/study-times.txt
done
