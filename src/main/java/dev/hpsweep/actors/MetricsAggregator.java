package dev.hpsweep.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.journal.Journal;
import dev.hpsweep.journal.JsonLines;
import dev.hpsweep.journal.OsReason;
import dev.hpsweep.journal.Provenance;
import dev.hpsweep.journal.SweepHistory;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.report.Leaderboard;
import dev.hpsweep.report.LeaderboardFormat;
import dev.hpsweep.schedule.Decision;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.space.Objective;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.CheckpointStore;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Receives every trial's epochs; journals them, appends them to the trial's metrics.jsonl and to
 * leaderboard.log, replaces leaderboard.csv, prints progress, and answers each epoch with the
 * early-stopping rule's decision. Its file writes block, so it runs on the io dispatcher.
 *
 * <p>A write that fails (a full disk, a directory that became unwritable) does not stop this
 * actor: the first failure is told to the supervisor, which interrupts the sweep, and later
 * writes are still tried, so trials are journalled INTERRUPTED where the journal still takes it.
 * An epoch the journal could not take is not durable: it gets no decision, and the supervisor
 * ends its trial at the epoch before.
 */
public final class MetricsAggregator extends AbstractBehavior<MetricsAggregator.Command> {

    public sealed interface Command {
    }

    /**
     * Sent by the supervisor (so it is ordered before that trial's end and the sweep's end).
     *
     * @param worker  where it runs when that is another machine (a cluster worker's name), else null
     * @param attempt how many times this process has started it, this one included
     */
    public record TrialStarted(TrialRun run, String worker, int attempt) implements Command {
        public TrialStarted(TrialRun run) {
            this(run, null, 1);
        }
    }

    /**
     * Sent by the supervisor: {@code trial}'s attempt on {@code worker} ended without finishing it
     * (the worker was lost, or left and handed the trial back). It is journalled; with
     * {@code requeue} the trial rewinds to its newest checkpoint (the epochs after it stop
     * counting, as on resume) and the aggregator replies {@link SweepSupervisor.Requeue} with
     * where it goes on from.
     */
    public record TrialLost(String trial, int attempt, String worker, String reason, boolean lost, boolean requeue,
                            ActorRef<SweepSupervisor.Command> replyTo) implements Command {
    }

    /** Sent by a TrialActor; the aggregator replies with a {@link Decision}. */
    public record EpochFinished(EpochMetrics metrics, ActorRef<Decision> replyTo) implements Command {
    }

    public record TrialFinished(String trial, TrialStatus status, String reason) implements Command {
    }

    public record CheckpointWritten(String trial, int epochs, int batches, String file) implements Command {
    }

    public record CheckpointFailed(String trial, String reason) implements Command {
    }

    /** Writes the final table (or notes the interruption); replies when every file is closed. */
    public record SweepFinished(ActorRef<FilesClosed> replyTo, boolean interrupted) implements Command {
    }

    /**
     * The reply to {@link SweepFinished}: every file is closed; how this run's checkpoints went.
     *
     * @param checkpointFailure the first failed checkpoint's reason, or null
     */
    public record FilesClosed(int checkpointsWritten, int checkpointsFailed, String checkpointFailure) {
        public boolean everyCheckpointFailed() {
            return checkpointsFailed > 0 && checkpointsWritten == 0;
        }
    }

    public static Behavior<Command> create(SweepPlan plan, EarlyStopping stopping, Consumer<String> console,
                                           ActorRef<SweepSupervisor.Command> supervisor) {
        return Behaviors.setup(ctx -> new MetricsAggregator(ctx, plan, stopping, console, supervisor));
    }

    private final SweepPlan plan;
    private final EarlyStopping stopping;
    private final Consumer<String> console;
    private final ActorRef<SweepSupervisor.Command> supervisor;
    private final Leaderboard board;
    /** Null when it could not be opened (the sweep is then stopping). */
    private Journal journal;
    /** Null when it could not be opened (the sweep is then stopping). */
    private JsonLines leaderboardLog;
    /** The first write that failed, or null. */
    private String storageError;
    private int checkpointsWritten;
    private int checkpointsFailed;
    private String checkpointFailure;
    private final Map<String, TrialSpec> trials = new HashMap<>();
    private final Map<String, JsonLines> metricsFiles = new HashMap<>();
    private final Map<String, JsonLines> diagnosticsFiles = new HashMap<>();
    /** Each trial's epochs that count, in order (what its metrics.jsonl holds). */
    private final Map<String, List<EpochMetrics>> counted = new HashMap<>();
    /**
     * The decisions given, per trial and epoch. A trial rewound after its worker was lost trains
     * those epochs again, bit for bit, and gets the same answers without asking the rule twice.
     */
    private final Map<String, Map<Integer, Decision>> decided = new HashMap<>();
    private final Map<TrialStatus, Integer> finished = new EnumMap<>(TrialStatus.class);
    private final long startNanos = System.nanoTime();
    /** The trials running now (started, not finished, not lost). */
    private final Set<String> running = new HashSet<>();
    // Sums of epochs over trials: long, since one trial alone may have up to 2^31 - 1.
    private long epochsDone;
    private long epochsPlanned;
    /** Epochs trained by this process (a resumed sweep's earlier ones took time we did not see). */
    private long epochsThisRun;

    private MetricsAggregator(ActorContext<Command> ctx, SweepPlan plan, EarlyStopping stopping,
                              Consumer<String> console, ActorRef<SweepSupervisor.Command> supervisor) {
        super(ctx);
        this.plan = plan;
        this.stopping = stopping;
        this.console = console;
        this.supervisor = supervisor;
        this.board = new Leaderboard(plan.space().objective());
        plan.trials().forEach(t -> {
            board.register(t);
            trials.put(t.id(), t);
        });
        SweepHistory history = plan.history();
        for (TrialSpec t : history.startedTrials()) {
            // Trials a TPE search proposed in an earlier run are not in the expansion.
            if (trials.putIfAbsent(t.id(), t) == null) {
                board.register(t);
            }
        }
        try {
            history = openFiles(history);
        } catch (UncheckedIOException e) {
            if (System.getenv("HPSWEEP_DEBUG") != null) {
                ctx.getLog().error("cannot open the sweep's files", e);
            }
            storageFailed(e.getMessage());
        }
        replay(history);
        writeCsv();
    }

    /** Opens the journal (journalling this run's start) and leaderboard.log; returns the history after any rewinds. */
    private SweepHistory openFiles(SweepHistory history) {
        Objective o = plan.space().objective();
        if (history.isNew()) {
            Map<String, Object> provenance = provenance();
            AtomicFiles.write(plan.paths().provenance(), json(provenance));
            this.journal = new Journal(plan.paths().journal());
            journal.append("sweep_started", Map.of("sweep", plan.space().name(), "trials", plan.plannedTrials(),
                "concurrency", plan.concurrency(), "provenance", provenance));
        } else {
            this.journal = new Journal(plan.paths().journal(), history.lastSeq());
            journal.append("sweep_resumed", Map.of("sweep", plan.space().name(), "queued", plan.queue().size(),
                "concurrency", plan.concurrency(), "search_space_sha256", plan.space().fingerprint(),
                "data_sha256", plan.dataFingerprint(), "environment", Provenance.environment()));
            history = rewind(history);
        }
        this.leaderboardLog = new JsonLines(plan.paths().leaderboardLog(), false);
        leaderboardLog.appendRaw(String.format(Locale.ROOT,
            "=== sweep %s: %s, %d trials (%d to resume), %d at a time, objective %s (%s), search space %s",
            history.isNew() ? "started" : "resumed", plan.space().name(), plan.plannedTrials(), plan.queue().size(),
            plan.concurrency(), o.metric(), o.mode().name().toLowerCase(Locale.ROOT), plan.space().file()));
        return history;
    }

    /**
     * Trials that resume from an older checkpoint than their last journalled epoch will train
     * those epochs again: the journal says so (trial_rewound), and they stop counting.
     */
    private SweepHistory rewind(SweepHistory history) {
        for (TrialRun run : plan.queue()) {
            String id = run.trial().id();
            int journalled = history.epochsOf(id).size();
            if (journalled > run.epochsDone()) {
                String why = run.checkpoint() == null ? "no usable checkpoint; restarting from epoch 1"
                    : "resuming from " + run.checkpoint().getFileName();
                journal.append("trial_rewound", Map.of("trial", id, "to_epoch", run.epochsDone(), "reason", why));
                history = history.rewound(id, run.epochsDone());
            }
        }
        return history;
    }

    /** Rebuilds the leaderboard and counters from what happened before, and rewrites each trial's metrics.jsonl to match. */
    private void replay(SweepHistory history) {
        Set<String> queued = new HashSet<>();
        plan.queue().forEach(r -> queued.add(r.trial().id()));
        Objective o = plan.space().objective();
        for (EpochMetrics m : history.epochs()) {
            if (trials.containsKey(m.trial())) {
                board.record(m);
                counted.computeIfAbsent(m.trial(), k -> new ArrayList<>()).add(m);
                epochsDone++;
                // The rules see the epochs that count, in journal order, as they did then; their
                // decisions then are already in the journal, so the answers are not used again.
                stopping.onEpoch(m.trial(), m.epoch(), o.oriented(m.metrics()), m.metrics());
            }
        }
        history.outcomes().forEach((trial, outcome) -> {
            if (trials.containsKey(trial) && !queued.contains(trial)) {
                board.finished(trial, outcome.status(), outcome.reason());
                finished.merge(outcome.status(), 1, Integer::sum);
            }
        });
        epochsPlanned = 0;
        for (Leaderboard.Row r : board.ranked()) {
            epochsPlanned += r.status().isFinal() ? r.epochsDone() : r.epochsTotal();
        }
        for (TrialSpec t : trials.values()) {
            if (history.started().contains(t.id()) || java.nio.file.Files.exists(plan.paths().trialMetrics(t.id()))) {
                StringBuilder lines = new StringBuilder();
                for (EpochMetrics m : history.epochsOf(t.id())) {
                    lines.append(jsonLine(m)).append('\n');
                }
                written(() -> AtomicFiles.write(plan.paths().trialMetrics(t.id()), lines.toString()));
                written(() -> keepDiagnostics(t.id(), history.epochsOf(t.id()).size()));
            }
        }
    }

    /**
     * diagnostics.jsonl is not journalled (it can be large): on resume it keeps the lines of the
     * epochs that still count, once each, so re-trained epochs do not appear twice.
     */
    private void keepDiagnostics(String trial, int epochs) {
        java.nio.file.Path file = plan.paths().trialDiagnostics(trial);
        if (!java.nio.file.Files.exists(file)) {
            return;
        }
        try {
            StringBuilder kept = new StringBuilder();
            Set<Integer> seen = new HashSet<>();
            for (String line : java.nio.file.Files.readAllLines(file)) {
                int epoch;
                try {
                    epoch = JsonLines.MAPPER.readTree(line).path("epoch").asInt(0);
                } catch (com.fasterxml.jackson.core.JsonProcessingException torn) {
                    continue;
                }
                if (epoch >= 1 && epoch <= epochs && seen.add(epoch)) {
                    kept.append(line).append('\n');
                }
            }
            AtomicFiles.write(file, kept.toString());
        } catch (java.io.IOException e) {
            throw OsReason.failure("cannot read " + file, e);
        }
    }

    private Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sweep", plan.space().name());
        p.put("search_space", plan.space().file().toAbsolutePath().normalize().toString());
        // Resume looks here first, so a project moved or copied with its logs still finds its file.
        p.put("search_space_from_sweep", plan.paths().logDir().toAbsolutePath().normalize()
            .relativize(plan.space().file().toAbsolutePath().normalize()).toString());
        p.put("search_space_sha256", plan.space().fingerprint());
        p.put("seed", plan.space().seed());
        p.put("data_sha256", plan.dataFingerprint());
        p.put("dataset", plan.space().dataset().toMap());
        p.put("model", plan.space().model());
        p.put("environment", Provenance.environment());
        return p;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(TrialStarted.class, this::onTrialStarted)
            .onMessage(EpochFinished.class, this::onEpochFinished)
            .onMessage(TrialFinished.class, this::onTrialFinished)
            .onMessage(TrialLost.class, this::onTrialLost)
            .onMessage(CheckpointWritten.class, this::onCheckpointWritten)
            .onMessage(CheckpointFailed.class, this::onCheckpointFailed)
            .onMessage(SweepFinished.class, this::onSweepFinished)
            .onSignal(PostStop.class, signal -> closeFiles())
            .build();
    }

    private Behavior<Command> onTrialStarted(TrialStarted msg) {
        TrialSpec t = msg.run().trial();
        running.add(t.id());
        // An adaptive search (TPE) proposes trials as it goes: they join the board when they start.
        if (trials.putIfAbsent(t.id(), t) == null) {
            board.register(t);
            epochsPlanned += t.epochs();
        }
        board.started(t.id());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("trial", t.id());
        record.put("params", t.params());
        record.put("searched", t.searched());
        record.put("from_epoch", msg.run().epochsDone());
        record.put("checkpoint", msg.run().checkpoint() == null ? null : msg.run().checkpoint().toString());
        if (msg.worker() != null) {
            record.put("worker", msg.worker());
            record.put("attempt", msg.attempt());
            String where = t.id() + " runs on worker " + msg.worker() + " (attempt " + msg.attempt()
                + (msg.run().checkpoint() == null ? ", from the start" : ", from " + msg.run().checkpoint().getFileName())
                + ")";
            log(where);
            console.accept(where);
        }
        journal("trial_started", record);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("trial", t.id());
        info.put("params", t.params());
        info.put("searched", t.searched());
        info.put("provenance", provenance());
        written(() -> AtomicFiles.write(plan.paths().trialInfo(t.id()), json(info)));
        written(() -> metricsFiles.put(t.id(), new JsonLines(plan.paths().trialMetrics(t.id()), true)));
        return this;
    }

    private Behavior<Command> onEpochFinished(EpochFinished msg) {
        EpochMetrics m = msg.metrics();
        TrialSpec t = trials.get(m.trial());
        if (!journal("epoch", Map.of("metrics", m))) {
            // Not durable, so not counted: no decision; the trial ends at the epoch before.
            supervisor.tell(new SweepSupervisor.EpochNotRecorded(m.trial(), storageError));
            return this;
        }
        JsonLines metrics = metricsFiles.get(m.trial());
        if (metrics != null) {
            written(() -> metrics.append(m));
        }
        written(() -> appendDiagnostics(m));
        board.record(m);
        counted.computeIfAbsent(m.trial(), k -> new ArrayList<>()).add(m);
        epochsDone++;
        epochsThisRun++;
        Map<Integer, Decision> given = decided.computeIfAbsent(m.trial(), k -> new HashMap<>());
        Decision decision = given.get(m.epoch());
        if (decision == null) {
            decision = stopping.onEpoch(m.trial(), m.epoch(), plan.space().objective().oriented(m.metrics()),
                m.metrics());
            given.put(m.epoch(), decision);
        }
        log(LeaderboardFormat.epochLine(t, m, board));
        // Decisions with a reason (every stop, and notes such as ASHA promotions); none after the last epoch.
        if (!decision.reason().isEmpty() && m.epoch() < m.epochs()) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("trial", m.trial());
            record.put("epoch", m.epoch());
            record.put("stop", decision.stop());
            record.put("reason", decision.reason());
            journal("decision", record);
            log(m.trial() + (decision.stop() ? " stopped at epoch " : " goes on after epoch ")
                + m.epoch() + ": " + decision.reason());
        }
        writeCsv();
        console.accept(progress(t, m));
        msg.replyTo().tell(decision);
        return this;
    }

    private Behavior<Command> onCheckpointWritten(CheckpointWritten msg) {
        checkpointsWritten++;
        journal("checkpoint", Map.of("trial", msg.trial(), "epochs_done", msg.epochs(),
            "batches_done", msg.batches(), "file", msg.file()));
        return this;
    }

    private Behavior<Command> onCheckpointFailed(CheckpointFailed msg) {
        checkpointsFailed++;
        if (checkpointFailure == null) {
            checkpointFailure = msg.reason();
        }
        journal("checkpoint_failed", Map.of("trial", msg.trial(), "reason", msg.reason()));
        log(msg.trial() + ": checkpoint failed: " + msg.reason());
        console.accept(msg.trial() + ": checkpoint failed: " + msg.reason());
        return this;
    }

    private Behavior<Command> onTrialFinished(TrialFinished msg) {
        running.remove(msg.trial());
        board.finished(msg.trial(), msg.status(), msg.reason());
        finished.merge(msg.status(), 1, Integer::sum);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("trial", msg.trial());
        record.put("status", msg.status().name());
        record.put("reason", msg.reason());
        journal("trial_finished", record);
        JsonLines metrics = metricsFiles.remove(msg.trial());
        if (metrics != null) {
            written(metrics::close);
        }
        JsonLines diagnostics = diagnosticsFiles.remove(msg.trial());
        if (diagnostics != null) {
            written(diagnostics::close);
        }
        if (msg.status() != TrialStatus.INTERRUPTED) {
            board.ranked().stream().filter(r -> r.trial().id().equals(msg.trial())).findFirst()
                .ifPresent(r -> epochsPlanned -= (long) r.epochsTotal() - r.epochsDone());
        }
        int done = finished.values().stream().mapToInt(Integer::intValue).sum();
        log(LeaderboardFormat.table(String.format(Locale.ROOT,
            "--- leaderboard after %s %s (%d of %d trials finished)", msg.trial(), msg.status(), done,
            plan.plannedTrials()), board).stripTrailing());
        writeCsv();
        String reason = msg.reason().isEmpty() ? "" : ": " + msg.reason();
        console.accept(String.format(Locale.ROOT, "%s %s%s", msg.trial(), msg.status(), reason));
        return this;
    }

    private Behavior<Command> onTrialLost(TrialLost msg) {
        running.remove(msg.trial());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("trial", msg.trial());
        record.put("attempt", msg.attempt());
        record.put("worker", msg.worker());
        record.put("reason", msg.reason());
        journal(msg.lost() ? "trial_lost" : "trial_returned", record);
        String line = msg.trial() + (msg.lost() ? " lost on worker " : " handed back by worker ") + msg.worker()
            + " (attempt " + msg.attempt() + "): " + msg.reason();
        log(line);
        console.accept(line);
        JsonLines metrics = metricsFiles.remove(msg.trial());
        if (metrics != null) {
            written(metrics::close);
        }
        JsonLines diagnostics = diagnosticsFiles.remove(msg.trial());
        if (diagnostics != null) {
            written(diagnostics::close);
        }
        if (msg.requeue()) {
            msg.replyTo().tell(new SweepSupervisor.Requeue(rewindToCheckpoint(trials.get(msg.trial()))));
        }
        return this;
    }

    /**
     * Where a trial whose attempt was cut short goes on from: its newest intact checkpoint that the
     * journal covers (else the start). Epochs journalled after it stop counting, as on resume:
     * trial_rewound, the board and its metrics.jsonl and diagnostics.jsonl keep only the ones before.
     */
    private TrialRun rewindToCheckpoint(TrialSpec t) {
        List<EpochMetrics> epochs = counted.getOrDefault(t.id(), List.of());
        CheckpointStore store = new CheckpointStore(plan.paths().trialCheckpoints(t.id()), 1);
        TrialRun run = store.latestValid(epochs.size(), why -> log(t.id() + ": " + why))
            .map(c -> {
                // Stopped at that very epoch (lost while saving or shipping its model): it only ends.
                Decision d = c.position().batches() > 0 ? null
                    : decided.getOrDefault(t.id(), Map.of()).get(c.position().epochs());
                return new TrialRun(t, c.file(), c.position().epochs(), d != null && d.stop() ? d.reason() : null);
            })
            .orElse(TrialRun.fresh(t));
        if (epochs.size() > run.epochsDone()) {
            String why = run.checkpoint() == null ? "no usable checkpoint; restarting from epoch 1"
                : "resuming from " + run.checkpoint().getFileName();
            journal("trial_rewound", Map.of("trial", t.id(), "to_epoch", run.epochsDone(), "reason", why));
            List<EpochMetrics> kept = new ArrayList<>(epochs.subList(0, run.epochsDone()));
            epochsDone -= epochs.size() - kept.size();
            counted.put(t.id(), kept);
            board.rewind(t.id(), kept);
            StringBuilder lines = new StringBuilder();
            kept.forEach(m -> lines.append(jsonLine(m)).append('\n'));
            written(() -> AtomicFiles.write(plan.paths().trialMetrics(t.id()), lines.toString()));
            written(() -> keepDiagnostics(t.id(), kept.size()));
            writeCsv();
        }
        return run;
    }

    private Behavior<Command> onSweepFinished(SweepFinished msg) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String summary = summary(seconds);
        if (msg.interrupted()) {
            String line = LeaderboardFormat.SWEEP_INTERRUPTED_MARKER + " " + plan.space().name() + ", " + summary
                + "; continue with: bin/hpsweep resume " + plan.space().name();
            warnAboutCheckpoints();
            log(line);
            journal("sweep_interrupted", Map.of("summary", summary));
            console.accept(line);
            return closeFilesAndReply(msg);
        }
        log(LeaderboardFormat.table("--- final leaderboard", board).stripTrailing());
        warnAboutCheckpoints();
        log(LeaderboardFormat.SWEEP_END_MARKER + " " + plan.space().name() + ", " + summary);
        journal("sweep_finished", Map.of("summary", summary));
        writeCsv();
        console.accept(LeaderboardFormat.table("final leaderboard", board).stripTrailing());
        console.accept("sweep " + plan.space().name() + " ended: " + summary);
        return closeFilesAndReply(msg);
    }

    private Behavior<Command> closeFilesAndReply(SweepFinished msg) {
        closeFiles();
        msg.replyTo().tell(new FilesClosed(checkpointsWritten, checkpointsFailed, checkpointFailure));
        return Behaviors.stopped();
    }

    /**
     * Failed checkpoints were said one by one as they failed; at the end they are said again where
     * nobody can miss them, since a trial interrupted now could not resume from them.
     */
    private void warnAboutCheckpoints() {
        if (checkpointsFailed == 0) {
            return;
        }
        String line = checkpointsWritten == 0
            ? String.format(Locale.ROOT, "!!! WARNING: every checkpoint of this run failed (%d of %d): %s."
                + " An interrupted trial would restart from epoch 1. Free space on the checkpoints' disk, or give"
                + " --checkpoints a writable directory", checkpointsFailed, checkpointsFailed, checkpointFailure)
            : String.format(Locale.ROOT, "!!! WARNING: %d of %d checkpoints of this run failed, the first: %s",
                checkpointsFailed, checkpointsFailed + checkpointsWritten, checkpointFailure);
        log(line);
        console.accept(line);
    }

    private String summary(double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(finished.values().stream().mapToInt(Integer::intValue).sum()).append(" trials (");
        StringBuilder counts = new StringBuilder();
        finished.forEach((status, n) -> counts.append(counts.length() == 0 ? "" : ", ").append(n).append(' ')
            .append(status.name().toLowerCase(Locale.ROOT)));
        sb.append(counts).append(") in ").append(LeaderboardFormat.duration(seconds));
        board.best().ifPresent(best -> sb.append("; best ").append(best.trial().id()).append(' ')
            .append(board.objective().metric()).append('=')
            .append(String.format(Locale.ROOT, "%.4f", best.best().metric(board.objective().metric())))
            .append(" at epoch ").append(best.best().epoch()));
        return sb.toString();
    }

    private String progress(TrialSpec t, EpochMetrics m) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int done = finished.values().stream().mapToInt(Integer::intValue).sum();
        int pending = plan.trials().size() - done - running.size();
        long remaining = Math.max(0, epochsPlanned - epochsDone);
        String eta = epochsThisRun == 0 ? "?" : LeaderboardFormat.duration(elapsed / epochsThisRun * remaining);
        Objective o = plan.space().objective();
        return String.format(Locale.ROOT,
            "[%s] trials %d done, %d running, %d pending | epochs %d/%d | ETA %s | %s epoch %d/%d %s %.4f",
            LeaderboardFormat.duration(elapsed), done, running.size(), pending, epochsDone, epochsPlanned, eta,
            t.id(), m.epoch(), m.epochs(), o.metric(), m.metric(o.metric()));
    }

    /** One line per epoch in the trial's diagnostics.jsonl, opened on its first diagnostics; not fsynced. */
    private void appendDiagnostics(EpochMetrics m) {
        if (m.diagnostics().isEmpty()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("trial", m.trial());
        line.put("epoch", m.epoch());
        line.put("iterations", m.iterations());
        line.putAll(m.diagnostics());
        diagnosticsFiles.computeIfAbsent(m.trial(), t -> new JsonLines(plan.paths().trialDiagnostics(t), false))
            .append(line);
    }

    private void writeCsv() {
        written(() -> AtomicFiles.write(plan.paths().leaderboardCsv(), LeaderboardFormat.csv(board)));
    }

    /** Appends a journal record; false when it is not in the journal (the failure is reported). */
    private boolean journal(String type, Map<String, ?> fields) {
        Journal j = journal;
        return j != null && written(() -> j.append(type, fields));
    }

    private void log(String line) {
        JsonLines l = leaderboardLog;
        if (l != null) {
            written(() -> l.appendRaw(line));
        }
    }

    /** Runs one file write; a failure is reported (the first stops the sweep) and gives false. */
    private boolean written(Runnable write) {
        try {
            write.run();
            return true;
        } catch (UncheckedIOException e) {
            if (storageError == null && System.getenv("HPSWEEP_DEBUG") != null) {
                getContext().getLog().error("write failed", e);
            }
            storageFailed(e.getMessage());
            return false;
        }
    }

    /** The first failed write stops the sweep; later ones, most often the same cause again, are not repeated. */
    private void storageFailed(String error) {
        if (storageError != null) {
            return;
        }
        storageError = error;
        console.accept("stopping the sweep: " + error + "; interrupting the running trials");
        supervisor.tell(new SweepSupervisor.StorageFailed(error));
    }

    private Behavior<Command> closeFiles() {
        metricsFiles.values().forEach(f -> written(f::close));
        metricsFiles.clear();
        diagnosticsFiles.values().forEach(f -> written(f::close));
        diagnosticsFiles.clear();
        if (journal != null) {
            written(journal::close);
            journal = null;
        }
        if (leaderboardLog != null) {
            written(leaderboardLog::close);
            leaderboardLog = null;
        }
        return this;
    }

    private static String jsonLine(Object value) {
        try {
            return JsonLines.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
