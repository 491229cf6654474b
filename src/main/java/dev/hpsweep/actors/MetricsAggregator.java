package dev.hpsweep.actors;

import akka.Done;
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
import dev.hpsweep.journal.Provenance;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.report.Leaderboard;
import dev.hpsweep.report.LeaderboardFormat;
import dev.hpsweep.schedule.Decision;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.space.Objective;
import dev.hpsweep.space.TrialSpec;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Receives every trial's epochs; journals them, appends them to the trial's metrics.jsonl and to
 * leaderboard.log, replaces leaderboard.csv, prints progress, and answers each epoch with the
 * early-stopping rule's decision. Its file writes block, so it runs on the io dispatcher.
 */
public final class MetricsAggregator extends AbstractBehavior<MetricsAggregator.Command> {

    public sealed interface Command {
    }

    /** Sent by the supervisor (so it is ordered before that trial's end and the sweep's end). */
    public record TrialStarted(TrialSpec trial) implements Command {
    }

    /** Sent by a TrialActor; the aggregator replies with a {@link Decision}. */
    public record EpochFinished(EpochMetrics metrics, ActorRef<Decision> replyTo) implements Command {
    }

    public record TrialFinished(String trial, TrialStatus status, String reason) implements Command {
    }

    /** Writes the final table; replies when every file is closed. */
    public record SweepFinished(ActorRef<Done> replyTo) implements Command {
    }

    public static Behavior<Command> create(SweepPlan plan, EarlyStopping stopping, Consumer<String> console) {
        return Behaviors.setup(ctx -> new MetricsAggregator(ctx, plan, stopping, console));
    }

    private final SweepPlan plan;
    private final EarlyStopping stopping;
    private final Consumer<String> console;
    private final Leaderboard board;
    private final Journal journal;
    private final JsonLines leaderboardLog;
    private final Map<String, TrialSpec> trials = new HashMap<>();
    private final Map<String, JsonLines> metricsFiles = new HashMap<>();
    private final Map<TrialStatus, Integer> finished = new EnumMap<>(TrialStatus.class);
    private final long startNanos = System.nanoTime();
    private int started;
    private int epochsDone;
    private int epochsPlanned;

    private MetricsAggregator(ActorContext<Command> ctx, SweepPlan plan, EarlyStopping stopping,
                              Consumer<String> console) {
        super(ctx);
        this.plan = plan;
        this.stopping = stopping;
        this.console = console;
        this.board = new Leaderboard(plan.space().objective());
        this.epochsPlanned = plan.totalEpochs();
        plan.trials().forEach(t -> {
            board.register(t);
            trials.put(t.id(), t);
        });
        Map<String, Object> provenance = provenance();
        AtomicFiles.write(plan.paths().provenance(), json(provenance));
        this.journal = new Journal(plan.paths().journal());
        journal.append("sweep_started", Map.of("sweep", plan.space().name(), "trials", plan.plannedTrials(),
            "concurrency", plan.concurrency(), "provenance", provenance));
        this.leaderboardLog = new JsonLines(plan.paths().leaderboardLog(), false);
        Objective o = plan.space().objective();
        leaderboardLog.appendRaw(String.format(Locale.ROOT,
            "=== sweep started: %s, %d trials, %d at a time, objective %s (%s), search space %s",
            plan.space().name(), plan.plannedTrials(), plan.concurrency(), o.metric(),
            o.mode().name().toLowerCase(Locale.ROOT), plan.space().file()));
        writeCsv();
    }

    private Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sweep", plan.space().name());
        p.put("search_space", plan.space().file().toString());
        p.put("search_space_sha256", plan.space().fingerprint());
        p.put("seed", plan.space().seed());
        p.put("data_sha256", plan.dataFingerprint());
        p.put("environment", Provenance.environment());
        return p;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(TrialStarted.class, this::onTrialStarted)
            .onMessage(EpochFinished.class, this::onEpochFinished)
            .onMessage(TrialFinished.class, this::onTrialFinished)
            .onMessage(SweepFinished.class, this::onSweepFinished)
            .onSignal(PostStop.class, signal -> closeFiles())
            .build();
    }

    private Behavior<Command> onTrialStarted(TrialStarted msg) {
        TrialSpec t = msg.trial();
        started++;
        // An adaptive search (TPE) proposes trials as it goes: they join the board when they start.
        if (trials.putIfAbsent(t.id(), t) == null) {
            board.register(t);
            epochsPlanned += t.epochs();
        }
        board.started(t.id());
        journal.append("trial_started", Map.of("trial", t.id(), "params", t.params()));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("trial", t.id());
        info.put("params", t.params());
        info.put("searched", t.searched());
        info.put("provenance", provenance());
        AtomicFiles.write(plan.paths().trialInfo(t.id()), json(info));
        metricsFiles.put(t.id(), new JsonLines(plan.paths().trialMetrics(t.id()), true));
        return this;
    }

    private Behavior<Command> onEpochFinished(EpochFinished msg) {
        EpochMetrics m = msg.metrics();
        TrialSpec t = trials.get(m.trial());
        journal.append("epoch", Map.of("metrics", m));
        metricsFiles.get(m.trial()).append(m);
        board.record(m);
        epochsDone++;
        Objective o = plan.space().objective();
        double value = m.metric(o.metric());
        Decision decision = stopping.onEpoch(m.trial(), m.epoch(), o.mode() == Objective.Mode.MAX ? value : -value,
            m.metrics());
        leaderboardLog.appendRaw(LeaderboardFormat.epochLine(t, m, board));
        // Decisions with a reason (every stop, and notes such as ASHA promotions); none after the last epoch.
        if (!decision.reason().isEmpty() && m.epoch() < m.epochs()) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("trial", m.trial());
            record.put("epoch", m.epoch());
            record.put("stop", decision.stop());
            record.put("reason", decision.reason());
            journal.append("decision", record);
            leaderboardLog.appendRaw(m.trial() + (decision.stop() ? " stopped at epoch " : " goes on after epoch ")
                + m.epoch() + ": " + decision.reason());
        }
        writeCsv();
        console.accept(progress(t, m));
        msg.replyTo().tell(decision);
        return this;
    }

    private Behavior<Command> onTrialFinished(TrialFinished msg) {
        board.finished(msg.trial(), msg.status(), msg.reason());
        finished.merge(msg.status(), 1, Integer::sum);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("trial", msg.trial());
        record.put("status", msg.status().name());
        record.put("reason", msg.reason());
        journal.append("trial_finished", record);
        JsonLines metrics = metricsFiles.remove(msg.trial());
        if (metrics != null) {
            metrics.close();
        }
        board.ranked().stream().filter(r -> r.trial().id().equals(msg.trial())).findFirst()
            .ifPresent(r -> epochsPlanned -= r.epochsTotal() - r.epochsDone());
        int done = finished.values().stream().mapToInt(Integer::intValue).sum();
        leaderboardLog.appendRaw(LeaderboardFormat.table(String.format(Locale.ROOT,
            "--- leaderboard after %s %s (%d of %d trials finished)", msg.trial(), msg.status(), done,
            plan.plannedTrials()), board).stripTrailing());
        writeCsv();
        String reason = msg.reason().isEmpty() ? "" : ": " + msg.reason();
        console.accept(String.format(Locale.ROOT, "%s %s%s", msg.trial(), msg.status(), reason));
        return this;
    }

    private Behavior<Command> onSweepFinished(SweepFinished msg) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String summary = summary(seconds);
        leaderboardLog.appendRaw(LeaderboardFormat.table("--- final leaderboard", board).stripTrailing());
        leaderboardLog.appendRaw(LeaderboardFormat.SWEEP_END_MARKER + " " + plan.space().name() + ", " + summary);
        journal.append("sweep_finished", Map.of("summary", summary));
        writeCsv();
        console.accept(LeaderboardFormat.table("final leaderboard", board).stripTrailing());
        console.accept("sweep " + plan.space().name() + " ended: " + summary);
        closeFiles();
        msg.replyTo().tell(Done.getInstance());
        return Behaviors.stopped();
    }

    private String summary(double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(started).append(" trials (");
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
        int remaining = Math.max(0, epochsPlanned - epochsDone);
        String eta = epochsDone == 0 ? "?" : LeaderboardFormat.duration(elapsed / epochsDone * remaining);
        Objective o = plan.space().objective();
        return String.format(Locale.ROOT,
            "[%s] trials %d done, %d running, %d pending | epochs %d/%d | ETA %s | %s epoch %d/%d %s %.4f",
            LeaderboardFormat.duration(elapsed), done, started - done, Math.max(0, plan.plannedTrials() - started), epochsDone, epochsPlanned, eta,
            t.id(), m.epoch(), m.epochs(), o.metric(), m.metric(o.metric()));
    }

    private void writeCsv() {
        AtomicFiles.write(plan.paths().leaderboardCsv(), LeaderboardFormat.csv(board));
    }

    private Behavior<Command> closeFiles() {
        metricsFiles.values().forEach(JsonLines::close);
        metricsFiles.clear();
        journal.close();
        leaderboardLog.close();
        return this;
    }

    private static String json(Object value) {
        try {
            return JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
