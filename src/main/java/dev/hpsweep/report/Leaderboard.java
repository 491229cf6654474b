package dev.hpsweep.report;

import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.space.Objective;
import dev.hpsweep.space.TrialSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ranks a sweep's trials by the best value of the objective each has reached so far, at any
 * epoch (better first; ties by trial order; trials without a finite value last). Mutable, not
 * thread-safe: one owner (the MetricsAggregator, or the report command) feeds it.
 */
public final class Leaderboard {
    private final Objective objective;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public Leaderboard(Objective objective) {
        this.objective = objective;
    }

    public Objective objective() {
        return objective;
    }

    public void register(TrialSpec trial) {
        entries.putIfAbsent(trial.id(), new Entry(trial));
    }

    public void started(String trial) {
        entry(trial).status = TrialStatus.RUNNING;
    }

    public void record(EpochMetrics metrics) {
        Entry e = entry(metrics.trial());
        e.last = metrics;
        e.secondsTotal += metrics.seconds();
        double value = metrics.metric(objective.metric());
        if (Double.isFinite(value) && (e.best == null || objective.better(value, e.best.metric(objective.metric())))) {
            e.best = metrics;
        }
    }

    /**
     * Forgets {@code trial}'s epochs and records {@code kept} instead: a trial rewound to an older
     * checkpoint (its worker was lost) trains the later epochs again.
     */
    public void rewind(String trial, List<EpochMetrics> kept) {
        Entry e = entry(trial);
        e.best = null;
        e.last = null;
        e.secondsTotal = 0;
        kept.forEach(this::record);
    }

    public void finished(String trial, TrialStatus status, String reason) {
        Entry e = entry(trial);
        e.status = status;
        e.reason = reason == null ? "" : reason;
    }

    private Entry entry(String trial) {
        Entry e = entries.get(trial);
        if (e == null) {
            throw new IllegalArgumentException("trial '" + trial + "' is not registered in the leaderboard");
        }
        return e;
    }

    /** A snapshot, best first. */
    public List<Row> ranked() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        Comparator<Entry> byValue = (a, b) -> {
            if (a.best == null || b.best == null) {
                return a.best == null ? (b.best == null ? 0 : 1) : -1;
            }
            double va = a.best.metric(objective.metric());
            double vb = b.best.metric(objective.metric());
            return objective.better(va, vb) ? -1 : objective.better(vb, va) ? 1 : 0;
        };
        sorted.sort(byValue.thenComparingInt(e -> e.trial.index()));
        List<Row> rows = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            Entry e = sorted.get(i);
            rows.add(new Row(i + 1, e.trial, e.status, e.reason, e.last == null ? 0 : e.last.epoch(),
                e.trial.epochs(), e.best, e.last, e.secondsTotal));
        }
        return List.copyOf(rows);
    }

    /** The leading trial, if any trial has reported a finite objective value. */
    public Optional<Row> best() {
        List<Row> rows = ranked();
        return rows.isEmpty() || rows.get(0).best() == null ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int size() {
        return entries.size();
    }

    /** One trial's standing; {@code best} and {@code last} are null until its first epoch. */
    public record Row(int rank, TrialSpec trial, TrialStatus status, String reason, int epochsDone,
                      int epochsTotal, EpochMetrics best, EpochMetrics last, double secondsTotal) {
    }

    private static final class Entry {
        final TrialSpec trial;
        TrialStatus status = TrialStatus.PENDING;
        String reason = "";
        EpochMetrics best;
        EpochMetrics last;
        double secondsTotal;

        Entry(TrialSpec trial) {
            this.trial = trial;
        }
    }
}
