#!/usr/bin/env bash
# Issue 10 item 2's alternative, measured with issue 13's workers: the same sweep run (A) one trial at a
# time, (B) 2 trials at a time in one JVM (threads), (C) 2 trials at a time in 2 worker JVMs on this
# machine driven by the same actors (run --cluster 127.0.0.1:PORT --local-slots 0 + 2 x worker --slots 1).
# Prints each sweep's own time (its summary line: from the actor system's start to its end, without JVM
# start-up) and the ratios. Run it on a quiet machine, one measurement at a time.
#   bash tools/bench/child_jvms.sh [search-space file, default search-spaces/quickstart.yaml] [port]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
space="$(realpath "${1:-$root/search-spaces/quickstart.yaml}")"
port="${2:-25571}"
work="$(mktemp -d)"
trap 'pkill -f "hpsweep.cli.Main worker --join 127.0.0.1:$port" || true; rm -rf "$work"' EXIT
seconds() { # "... in 1m02s; ..." -> 62
  sed -n 's/.* ended: .* in \([0-9hms]*\)[;,]*.*/\1/p' | tail -1 | awk '{
    s = 0; t = $0
    if (match(t, /[0-9]+h/)) { s += 3600 * substr(t, RSTART, RLENGTH - 1) }
    if (match(t, /[0-9]+m/)) { s += 60 * substr(t, RSTART, RLENGTH - 1) }
    if (match(t, /[0-9]+s/)) { s += substr(t, RSTART, RLENGTH - 1) }
    print s }'
}
for mode in A B C; do
  mkdir -p "$work/$mode"
  cp "$space" "$work/$mode/space.yaml"
done
sed -i 's/max_concurrent_trials: *[0-9]*/max_concurrent_trials: 1/' "$work/A/space.yaml"
sed -i 's/max_concurrent_trials: *[0-9]*/max_concurrent_trials: 2/' "$work/B/space.yaml" "$work/C/space.yaml"
a=$(cd "$work/A" && "$root/bin/hpsweep" run space.yaml 2>&1 | seconds)
b=$(cd "$work/B" && "$root/bin/hpsweep" run space.yaml 2>&1 | seconds)
(cd "$work/C" && "$root/bin/hpsweep" worker --join 127.0.0.1:$port --slots 1 > w1.log 2>&1 &)
(cd "$work/C" && "$root/bin/hpsweep" worker --join 127.0.0.1:$port --slots 1 > w2.log 2>&1 &)
c=$(cd "$work/C" && "$root/bin/hpsweep" run space.yaml --cluster 127.0.0.1:$port --local-slots 0 2>&1 | seconds)
printf '(A) 1 at a time: %ss   (B) 2 threads in one JVM: %ss   (C) 2 worker JVMs: %ss\n' "$a" "$b" "$c"
awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN { printf "speed-up over (A): threads %.2fx, worker JVMs %.2fx; worker JVMs / threads time %.2f\n", a / b, a / c, c / b }'
