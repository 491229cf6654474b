"""Summarises the sweeps tools/bench-search/run.sh ran: reads each sweep's leaderboard.csv."""
import csv
import sys
from pathlib import Path


def rows(logs, name):
    """The sweep's final leaderboard rows, or None if it has not ended (still running, or not run)."""
    log = Path(logs) / name / "leaderboard.log"
    if not log.exists() or "=== sweep ended:" not in log.read_text():
        return None
    with open(Path(logs) / name / "leaderboard.csv", newline="") as f:
        return list(csv.DictReader(f))


def best(rs, upto=None):
    values = [float(r["val_accuracy_best"]) for r in rs
              if r["val_accuracy_best"] and (upto is None or int(r["trial"].split("-")[1]) <= upto)]
    return max(values) if values else float("nan")


def main():
    logs, seeds = sys.argv[1], sys.argv[2:]
    print("\nASHA vs no early stopping (same 16 random trials per seed)")
    print(f"{'seed':>4}  {'epochs none':>11}  {'epochs asha':>11}  {'ratio':>6}  {'best none':>9}  {'best asha':>9}  {'diff (pts)':>10}  stopped")
    tot = [0, 0, 0.0, 0.0]
    n = 0
    for s in seeds:
        none, asha = rows(logs, f"bench-random-s{s}"), rows(logs, f"bench-random-asha-s{s}")
        if none is None or asha is None:
            print(f"{s:>4}  (not finished)")
            continue
        n += 1
        en = sum(int(r["epochs_done"]) for r in none)
        ea = sum(int(r["epochs_done"]) for r in asha)
        bn, ba = best(none), best(asha)
        stopped = sum(r["status"] == "STOPPED" for r in asha)
        print(f"{s:>4}  {en:>11}  {ea:>11}  {ea / en:>6.1%}  {bn:>9.4f}  {ba:>9.4f}  {100 * (ba - bn):>+10.2f}  {stopped}/16")
        tot = [tot[0] + en, tot[1] + ea, tot[2] + bn, tot[3] + ba]
    if n == 0:
        return
    print(f"{'mean':>4}  {tot[0] / n:>11.1f}  {tot[1] / n:>11.1f}  {tot[1] / tot[0]:>6.1%}  {tot[2] / n:>9.4f}  "
          f"{tot[3] / n:>9.4f}  {100 * (tot[3] - tot[2]) / n:>+10.2f}")

    checkpoints = [5, 8, 12, 16]
    print("\nTPE vs random: best val_accuracy after N trials (trial order; TPE's first 5 = random's first 5)")
    print(f"{'seed':>4}  " + "  ".join(f"{'rand@' + str(c):>8}  {'tpe@' + str(c):>8}" for c in checkpoints))
    sums = {c: [0.0, 0.0] for c in checkpoints}
    n = 0
    for s in seeds:
        rnd, tpe = rows(logs, f"bench-random-s{s}"), rows(logs, f"bench-tpe-s{s}")
        if rnd is None or tpe is None:
            print(f"{s:>4}  (not finished)")
            continue
        n += 1
        cells = []
        for c in checkpoints:
            br, bt = best(rnd, c), best(tpe, c)
            sums[c][0] += br
            sums[c][1] += bt
            cells.append(f"{br:>8.4f}  {bt:>8.4f}")
        print(f"{s:>4}  " + "  ".join(cells))
    if n == 0:
        return
    print(f"{'mean':>4}  " + "  ".join(f"{sums[c][0] / n:>8.4f}  {sums[c][1] / n:>8.4f}" for c in checkpoints))


if __name__ == "__main__":
    main()
