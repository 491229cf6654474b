#!/usr/bin/env bash
# Checks bin/hpsweep's class-data-sharing archive (docs/BENCHMARKS.md, "Start-up") end to end:
#   1. a build's first `run` writes the archive to a file of its own (<archive>.<pid>.part); one
#      written by a run that ended at an input error (a few MB) is dropped, not published;
#   2. the next start publishes it, and a run with HPSWEEP_JAVA_OPTS=-Xshare:on (which fails when
#      the archive cannot be mapped) succeeds: the archive is used;
#   3. an archive cut short (as when its writer is killed while writing; a JVM that maps one
#      crashes) is not published: the next start removes it and runs normally;
#   4. a sweep's metrics are the same to the bit with the archive and with HPSWEEP_CDS=0;
#   5. a run with a flight recording (which the JVM turns off while it writes an archive) writes
#      no archive, and its recording;
#   6. an earlier build's jar copy (more than an hour old) and its archive are removed at the next
#      start, unless a process has that copy open (Linux only);
#   7. a user's jar rebuilt at the same path (another size or time) gets an archive of its own;
#   8. a start with a flight recording that publishes an earlier run's archive checks it with a JVM
#      that records nothing (the recording is the run's) and keeps the rest of the user's options.
# Usage, from the repository root after `mvn -q -DskipTests package` (CI: after the test suite):
#   tools/check-launcher-cds.sh
# Exit code 0 when all holds, 1 when not.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'check-launcher-cds: %s\n' "$*"; }
fail() { printf 'check-launcher-cds: FAILED: %s\n' "$*" >&2; exit 1; }
[ -f "$root/target/hpsweep.jar" ] || fail "hpsweep is not built; run 'mvn -q -DskipTests package' in $root first"

work="$(mktemp -d "${TMPDIR:-/tmp}/check-launcher-cds.XXXXXX")"
trap 'rm -rf "$work"' EXIT
sum=$(cksum < "$root/target/hpsweep.jar" | cut -d' ' -f1)
archives() { find "$root/target/run" -maxdepth 1 -name "hpsweep-$sum-*.jsa*" 2>/dev/null | sort; }
archives | while IFS= read -r f; do rm -f "$f"; done
cat > "$work/cds.yaml" <<'EOF'
name: cds
seed: 42
dataset: {name: europe-cities}
model: {type: mlp}
objective: {metric: val_accuracy, mode: max}
epochs: 2
fixed: {depth: 2, width: 8, optimizer: adam, batch_size: 256}
search: {strategy: grid, params: [{lr: [0.001]}]}
early_stopping: {type: none}
EOF
sweep() { # sweep NAME [env...]: runs the sweep in $work/NAME and prints its metrics without timings
  local dir="$work/$1"; shift
  mkdir -p "$dir" && cp "$work/cds.yaml" "$dir/"
  (cd "$dir" && env "$@" "$root/bin/hpsweep" run cds.yaml > out.txt 2>&1) || { cat "$dir/out.txt" >&2; fail "bin/hpsweep run failed in $dir"; }
  python3 - "$dir/logs/cds/trials/trial-0001/metrics.jsonl" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    record = json.loads(line)
    record.pop("seconds", None); record.pop("timeMillis", None)
    print(json.dumps(record, sort_keys=True))
EOF
}

printf 'name: bad\nseed: 1\n' > "$work/bad.yaml"
set +e; (cd "$work" && "$root/bin/hpsweep" run bad.yaml > /dev/null 2>&1); rc=$?; set -e
[ "$rc" = 2 ] || fail "a search space without a dataset: exit code $rc, not 2"
small=$(archives | grep '\.part$' || true)
[ -n "$small" ] || fail "the run that ended at an input error wrote no archive"
sweep first > "$work/first.metrics"
part=$(archives | grep '\.part$' || true)
[ -n "$part" ] && [ -z "$(archives | grep '\.jsa$' || true)" ] || fail "the first run wrote no archive of its own: $(archives)"
[ ! -e "$small" ] || fail "the small archive of a run that ended at an input error was kept: $(archives)"
say "1. the archive of a run that ended at an input error was dropped; the first sweep wrote $(basename "$part")"

sweep second HPSWEEP_JAVA_OPTS=-Xshare:auto > "$work/second.metrics"
jsa=$(archives | grep '\.jsa$' || true)
[ -n "$jsa" ] || fail "the second start did not publish the archive: $(archives)"
sweep shared HPSWEEP_JAVA_OPTS=-Xshare:on > "$work/shared.metrics"
say "2. published as $(basename "$jsa"); a run with -Xshare:on maps it"

host=$(hostname 2>/dev/null || echo host); host="${host//[^A-Za-z0-9_-]/-}"
head -c $(( $(wc -c < "$jsa") / 2 )) "$jsa" > "$jsa.$host.999999.part"
if kill -0 999999 2>/dev/null; then fail "pid 999999 is alive here; the test needs a pid that is not"; fi
rm -f "$jsa"
sweep cut > "$work/cut.metrics"
archives | grep -q '999999' && fail "an archive cut in half was kept: $(archives)"
archives | grep -q '\.jsa$' && fail "an archive cut in half was published: $(archives)"
ls "$work/cut"/hs_err* 2>/dev/null && fail "the check of the archive left a JVM crash log"
say "3. an archive cut in half was removed, not mapped; the run went on without one"

sweep off HPSWEEP_CDS=0 > "$work/off.metrics"
for m in second shared cut off; do
  cmp -s "$work/first.metrics" "$work/$m.metrics" || { diff "$work/first.metrics" "$work/$m.metrics" >&2; fail "metrics of '$m' differ"; }
done
say "4. the same metrics to the bit with and without the archive"

archives | while IFS= read -r f; do rm -f "$f"; done
sweep recorded HPSWEEP_JAVA_OPTS="-XX:StartFlightRecording=filename=$work/recorded.jfr" > /dev/null
[ -s "$work/recorded.jfr" ] || fail "a run with -XX:StartFlightRecording and no archive yet left no recording"
[ -z "$(archives)" ] || fail "a run with a flight recording wrote an archive: $(archives)"
sweep recorded2 JAVA_TOOL_OPTIONS="-XX:StartFlightRecording=filename=$work/recorded2.jfr" > /dev/null
[ -s "$work/recorded2.jfr" ] && [ -z "$(archives)" ] \
  || fail "a run with a flight recording asked for in JAVA_TOOL_OPTIONS: no recording, or an archive: $(archives)"
say "5. a run with a flight recording (in HPSWEEP_JAVA_OPTS or JAVA_TOOL_OPTIONS) wrote its recording and no archive"

if [ -d /proc/self/fd ]; then
  run_dir="$root/target/run"
  for n in 11 12; do
    printf 'old build %s\n' "$n" > "$run_dir/hpsweep-$n.jar"
    printf 'archive\n' > "$run_dir/hpsweep-$n-7.jsa"
    touch -d '2 hours ago' "$run_dir/hpsweep-$n.jar"
  done
  printf 'recent build\n' > "$run_dir/hpsweep-13.jar"
  sleep 60 9< "$run_dir/hpsweep-12.jar" &
  holder=$!
  "$root/bin/hpsweep" --help > /dev/null 2>&1 || true
  kill "$holder" 2>/dev/null || true
  [ ! -e "$run_dir/hpsweep-11.jar" ] && [ ! -e "$run_dir/hpsweep-11-7.jsa" ] \
    || fail "an earlier build's copy and archive nobody had open were kept: $(ls "$run_dir")"
  [ -e "$run_dir/hpsweep-12.jar" ] && [ -e "$run_dir/hpsweep-12-7.jsa" ] \
    || fail "an earlier build's copy that a process had open was removed"
  [ -e "$run_dir/hpsweep-13.jar" ] || fail "an earlier build's copy made within the hour was removed"
  rm -f "$run_dir"/hpsweep-1[123].jar "$run_dir"/hpsweep-1[123]-7.jsa
  say "6. an earlier build's copy and archive were removed; one a process had open, and one of this hour, were kept"
fi

archives | while IFS= read -r f; do rm -f "$f"; done
mkdir -p "$work/extra" && printf 'a user jar\n' > "$work/extra/readme.txt"
(cd "$work/extra" && jar cf "$work/extra.jar" readme.txt)
sweep extra1 HPSWEEP_CLASSPATH="$work/extra.jar" > /dev/null
first_key=$(archives)
[ "$(printf '%s\n' "$first_key" | grep -c .)" = 1 ] || fail "a run with a user's jar wrote $(archives)"
touch -d '1 hour ago' "$work/extra.jar"
sweep extra2 HPSWEEP_CLASSPATH="$work/extra.jar" > /dev/null
[ "$(archives | grep -c .)" = 2 ] && archives | grep -qxF "$first_key" \
  || fail "the user's jar changed, but no archive of its own was written: $(archives)"
say "7. a user's jar rebuilt at the same path got an archive of its own"

archives | while IFS= read -r f; do rm -f "$f"; done
mkdir -p "$work/wrapped"
real_java=$(command -v java)
printf '#!/usr/bin/env bash\nprintf "%%s | %%s | %%s\\n" "${JAVA_TOOL_OPTIONS:-}" "${JDK_JAVA_OPTIONS:-}" "$*" >> "%s"\nexec "%s" "$@"\n' \
  "$work/java-calls.txt" "$real_java" > "$work/wrapped/java"
chmod +x "$work/wrapped/java"
sweep wrapped1 PATH="$work/wrapped:$PATH" > /dev/null
archives | grep -q '\.part$' || fail "a run through the java wrapper wrote no archive: $(archives)"
: > "$work/java-calls.txt"
sweep wrapped2 PATH="$work/wrapped:$PATH" HPSWEEP_JAVA_OPTS="-XX:StartFlightRecording=filename=$work/wrapped2.jfr -Dcheck.kept=1" \
  JDK_JAVA_OPTIONS="-XX:FlightRecorderOptions=stackdepth=96 -Dcheck.env=1" > /dev/null
archives | grep -q '\.jsa$' || fail "the start with a flight recording did not publish the earlier run's archive: $(archives)"
check=$(grep -e ' -version$' "$work/java-calls.txt" || true)
[ -n "$check" ] || fail "no check of the archive was seen: $(cat "$work/java-calls.txt")"
case "$check" in *FlightRecord*) fail "the archive's check asked for a flight recording: $check" ;; esac
case "$check" in *-Dcheck.kept=1*-Xshare:on*) ;; *) fail "the archive's check lost the user's other options: $check" ;; esac
case "$check" in *" | -Dcheck.env=1 | "*) ;; *) fail "the archive's check lost JDK_JAVA_OPTIONS' other options: $check" ;; esac
[ -s "$work/wrapped2.jfr" ] || fail "the run with a flight recording left no recording"
say "8. a start with a flight recording published the archive, checked by a JVM that recorded nothing"
say "OK"
