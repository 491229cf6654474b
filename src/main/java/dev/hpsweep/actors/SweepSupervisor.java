package dev.hpsweep.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.journal.SweepHistory;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.schedule.TrialSource;
import dev.hpsweep.space.Objective;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.TrainerFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs a sweep: spawns the MetricsAggregator, keeps at most {@code concurrency} TrialActors
 * alive, starts the next trial whenever one ends (first the trials a resumed sweep left
 * unfinished, then those its {@link TrialSource} gives, until the source runs dry or
 * search.time_budget is spent), and when none is left has the aggregator write the final
 * leaderboard, then replies with the {@link SweepOutcome}. On {@link Interrupt} it starts nothing
 * more and waits for the running trials to checkpoint.
 */
public final class SweepSupervisor extends AbstractBehavior<SweepSupervisor.Command> {

    /** The dispatcher that runs trials' epochs; its pool size is the sweep's concurrency. */
    public static final String TRAINING_DISPATCHER = "hpsweep.training-dispatcher";
    /** The dispatcher for the aggregator's blocking file writes. */
    public static final String IO_DISPATCHER = "hpsweep.io-dispatcher";

    public sealed interface Command {
    }

    /** A copy of each epoch a TrialActor reports, so that an adaptive search sees results. */
    public record EpochReported(EpochMetrics metrics) implements Command {
    }

    /** A TrialActor's last word. */
    public record TrialEnded(String trial, TrialStatus status, String reason) implements Command {
    }

    /** Ctrl-C / SIGTERM: start nothing new, have every running trial checkpoint and end INTERRUPTED. */
    public enum Interrupt implements Command {
        INSTANCE
    }

    /**
     * From the aggregator: the sweep's files could not be written ({@code error} names the file
     * and the OS's reason). The sweep is interrupted, and ends with that error.
     */
    public record StorageFailed(String error) implements Command {
    }

    /** From the aggregator: {@code trial}'s last epoch is not in the journal, so it gets no decision. */
    public record EpochNotRecorded(String trial, String reason) implements Command {
    }

    /** A cluster worker offers {@code slots} trials at once; {@code id} is unique per worker process. */
    public record WorkerJoined(String id, String name, int slots, TrialHost host) implements Command {
    }

    /** A worker is leaving (SIGTERM): it gets no new trials; those it runs come back by themselves. */
    public record WorkerLeaving(String id) implements Command {
    }

    /** A worker left or was lost; its running trials report themselves lost through their actors. */
    public record WorkerGone(String id) implements Command {
    }

    /**
     * A trial's attempt ended without finishing it: its worker was lost ({@code lost}), or it was
     * handed back with a fresh checkpoint by a worker that is leaving. It runs again from its
     * newest checkpoint; lost {@link #MAX_LOSSES} times, it fails.
     */
    public record TrialLost(String trial, int attempt, boolean lost, String reason) implements Command {
    }

    /** From the aggregator, after a {@link TrialLost}: where the trial goes on from. */
    public record Requeue(TrialRun run) implements Command {
    }

    /** A trial lost with this many workers in a row (its own fault, likely) ends FAILED instead of taking the cluster down. */
    public static final int MAX_LOSSES = 3;

    private record WrappedTrialActorStopped(String trial, int attempt) implements Command {
    }

    private record WrappedAggregatorDone(MetricsAggregator.FilesClosed closed) implements Command {
    }

    /** How this run of the sweep ended: trials per final status, whether it was interrupted, or the error that stopped it. */
    public record SweepOutcome(Map<TrialStatus, Integer> trials, boolean interrupted, String error) {
        public SweepOutcome {
            trials = Map.copyOf(trials);
        }

        public boolean ok() {
            return error == null;
        }

        public int count(TrialStatus status) {
            return trials.getOrDefault(status, 0);
        }
    }

    public static Behavior<Command> create(SweepPlan plan, TrainerFactory factory, EarlyStopping stopping,
                                           Consumer<String> console, ActorRef<SweepOutcome> replyTo) {
        return create(plan, factory, stopping, console, replyTo, plan.concurrency(), false);
    }

    /**
     * @param localSlots trials run at once in this JVM (0: only on workers)
     * @param clustered  workers may join ({@link WorkerJoined}); the journal and the logs then say
     *                   where each trial runs
     */
    public static Behavior<Command> create(SweepPlan plan, TrainerFactory factory, EarlyStopping stopping,
                                           Consumer<String> console, ActorRef<SweepOutcome> replyTo, int localSlots,
                                           boolean clustered) {
        return Behaviors.setup(ctx -> new SweepSupervisor(ctx, plan, factory, stopping, console, replyTo, localSlots,
            clustered));
    }

    /** Where a running trial runs: {@code worker} null for this JVM. */
    private record Running(ActorRef<TrialActor.Command> actor, String worker, int attempt) {
    }

    /** A worker's slots and how many are taken. */
    private static final class Worker {
        final String name;
        final int slots;
        final TrialHost host;
        int busy;
        boolean leaving;

        Worker(String name, int slots, TrialHost host) {
            this.name = name;
            this.slots = slots;
            this.host = host;
        }
    }

    private final SweepPlan plan;
    private final TrainerFactory factory;
    private final ActorRef<SweepOutcome> replyTo;
    private final Executor trainingExecutor;
    private final ActorRef<MetricsAggregator.Command> aggregator;
    private final Deque<TrialRun> resumed;
    private final TrialSource source;
    private final Consumer<String> console;
    private final long startNanos = System.nanoTime();
    private boolean budgetSpent;
    private final Map<String, Running> running = new HashMap<>();
    private final int localSlots;
    private final boolean clustered;
    private int localBusy;
    private final Map<String, Worker> workers = new java.util.LinkedHashMap<>();
    /** Every worker's name by id, gone ones too (a lost trial's report may come after its worker is gone). */
    private final Map<String, String> workerNames = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<String, Integer> losses = new HashMap<>();
    /** The last epoch of each trial the search's source has seen: a rewound trial's epochs are not told twice. */
    private final Map<String, Integer> reported = new HashMap<>();
    /** Lost trials whose restart point the aggregator has not given yet: the sweep is not over. */
    private int requeueing;
    /** The next trial to run, taken from the queue early to learn whether any is left. */
    private TrialRun peeked;
    /**
     * Trials whose attempt was cut short (lost, handed back), to run again before anything else.
     * Unlike new trials, neither a spent time budget nor an empty source stops them: a one-machine
     * sweep would have finished them.
     */
    private final Deque<TrialRun> requeued = new ArrayDeque<>();
    private final Map<TrialStatus, Integer> ended = new EnumMap<>(TrialStatus.class);
    private boolean finishing;
    private boolean interrupted;
    /** Why the sweep's files could not be written, or null. */
    private String storageError;

    private SweepSupervisor(ActorContext<Command> ctx, SweepPlan plan, TrainerFactory factory, EarlyStopping stopping,
                            Consumer<String> console, ActorRef<SweepOutcome> replyTo, int localSlots,
                            boolean clustered) {
        super(ctx);
        this.localSlots = localSlots;
        this.clustered = clustered;
        this.plan = plan;
        this.factory = factory;
        this.replyTo = replyTo;
        this.trainingExecutor = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(TRAINING_DISPATCHER));
        this.aggregator = ctx.spawn(MetricsAggregator.create(plan, stopping, console, ctx.getSelf()), "aggregator",
            DispatcherSelector.fromConfig(IO_DISPATCHER));
        ctx.watch(aggregator);
        this.console = console;
        this.resumed = new ArrayDeque<>(plan.queue());
        this.source = TrialSource.of(plan.space(), plan.trials());
        replay(plan, source);
        fillSlots();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(EpochReported.class, this::onEpochReported)
            .onMessage(TrialEnded.class, this::onTrialEnded)
            .onMessage(WrappedTrialActorStopped.class, this::onTrialActorStopped)
            .onMessage(WrappedAggregatorDone.class, this::onAggregatorDone)
            .onMessageEquals(Interrupt.INSTANCE, this::onInterrupt)
            .onMessage(StorageFailed.class, this::onStorageFailed)
            .onMessage(EpochNotRecorded.class, this::onEpochNotRecorded)
            .onMessage(WorkerJoined.class, this::onWorkerJoined)
            .onMessage(WorkerLeaving.class, this::onWorkerLeaving)
            .onMessage(WorkerGone.class, this::onWorkerGone)
            .onMessage(TrialLost.class, this::onTrialLost)
            .onMessage(Requeue.class, this::onRequeue)
            .onSignal(Terminated.class, this::onAggregatorTerminated)
            .build();
    }

    /**
     * A resumed sweep's source learns what happened before: which trials it had handed out (so
     * it goes on with the next), their epochs' results and which of them ended. TPE then proposes
     * from the same results an uninterrupted run had seen by then, or more.
     */
    private static void replay(SweepPlan plan, TrialSource source) {
        SweepHistory history = plan.history();
        if (history.isNew()) {
            return;
        }
        history.startedTrials().forEach(source::handedOut);
        Objective o = plan.space().objective();
        for (EpochMetrics m : history.epochs()) {
            source.onEpoch(m.trial(), m.epoch(), o.oriented(m.metrics()));
        }
        history.outcomes().keySet().forEach(source::onFinished);
    }

    private Behavior<Command> onEpochReported(EpochReported msg) {
        EpochMetrics m = msg.metrics();
        if (m.epoch() > reported.getOrDefault(m.trial(), 0)) {
            reported.put(m.trial(), m.epoch());
            source.onEpoch(m.trial(), m.epoch(), plan.space().objective().oriented(m.metrics()));
        }
        return this;
    }

    private Behavior<Command> onTrialEnded(TrialEnded msg) {
        return trialEnded(msg.trial(), msg.status(), msg.reason());
    }

    /** A trial actor that stopped without saying how it ended (a bug in it, say) fails that trial alone. */
    private Behavior<Command> onTrialActorStopped(WrappedTrialActorStopped msg) {
        Running r = running.get(msg.trial());
        if (r == null || r.attempt() != msg.attempt()) {
            return this;
        }
        return trialEnded(msg.trial(), TrialStatus.FAILED, "its actor stopped unexpectedly");
    }

    private Behavior<Command> trialEnded(String trial, TrialStatus status, String reason) {
        if (release(trial) == null) {
            return this;
        }
        end(trial, status, reason);
        fillSlots();
        return this;
    }

    private void end(String trial, TrialStatus status, String reason) {
        ended.merge(status, 1, Integer::sum);
        source.onFinished(trial);
        aggregator.tell(new MetricsAggregator.TrialFinished(trial, status, reason));
    }

    /** Takes {@code trial} off the running ones and frees its slot; null if it was not running. */
    private Running release(String trial) {
        Running r = running.remove(trial);
        if (r == null) {
            return null;
        }
        if (r.worker() == null) {
            localBusy--;
        } else {
            Worker w = workers.get(r.worker());
            if (w != null) {
                w.busy--;
            }
        }
        return r;
    }

    private Behavior<Command> onWorkerJoined(WorkerJoined msg) {
        workers.putIfAbsent(msg.id(), new Worker(msg.name(), msg.slots(), msg.host()));
        workerNames.put(msg.id(), msg.name());
        fillSlots();
        return this;
    }

    private Behavior<Command> onWorkerLeaving(WorkerLeaving msg) {
        Worker w = workers.get(msg.id());
        if (w != null) {
            w.leaving = true;
        }
        return this;
    }

    private Behavior<Command> onWorkerGone(WorkerGone msg) {
        workers.remove(msg.id());
        return this;
    }

    /**
     * The attempt is over: the trial runs again from its newest checkpoint (the aggregator finds
     * it and answers {@link Requeue}), unless the sweep is stopping (resume goes on from that
     * checkpoint) or it was lost {@link #MAX_LOSSES} times (FAILED).
     */
    private Behavior<Command> onTrialLost(TrialLost msg) {
        Running r = running.get(msg.trial());
        if (r == null || r.attempt() != msg.attempt()) {
            return this;
        }
        String where = r.worker() == null ? "coordinator" : workerName(r.worker());
        release(msg.trial());
        if (msg.lost() && r.worker() != null) {
            // Its worker is gone: it must not get the slot this frees before WorkerGone arrives.
            workers.remove(r.worker());
        } else if (r.worker() != null && workers.containsKey(r.worker())) {
            // Only a leaving worker hands trials back, whether or not its WorkerLeaving came first.
            workers.get(r.worker()).leaving = true;
        }
        // In a row: an attempt handed back in order (its worker left) breaks the series.
        int lost = msg.lost() ? losses.merge(msg.trial(), 1, Integer::sum) : losses.merge(msg.trial(), 0, (a, b) -> 0);
        boolean requeue = !interrupted && lost < MAX_LOSSES;
        aggregator.tell(new MetricsAggregator.TrialLost(msg.trial(), msg.attempt(), where, msg.reason(), msg.lost(),
            requeue, getContext().getSelf()));
        if (requeue) {
            requeueing++;
        } else if (interrupted) {
            end(msg.trial(), TrialStatus.INTERRUPTED, msg.reason() + "; resume goes on from its last checkpoint");
        } else {
            end(msg.trial(), TrialStatus.FAILED, "lost with " + MAX_LOSSES + " workers in a row, the last: "
                + msg.reason());
        }
        fillSlots();
        return this;
    }

    private Behavior<Command> onRequeue(Requeue msg) {
        requeueing--;
        if (interrupted) {
            end(msg.run().trial().id(), TrialStatus.INTERRUPTED, "its worker was lost while the sweep was stopping;"
                + " resume goes on from its last checkpoint");
        } else {
            requeued.add(msg.run());
        }
        fillSlots();
        return this;
    }

    private String workerName(String id) {
        return workerNames.getOrDefault(id, id);
    }

    private Behavior<Command> onInterrupt() {
        if (!interrupted) {
            interrupted = true;
            resumed.clear();
            peeked = null;
            for (TrialRun r : requeued) {
                end(r.trial().id(), TrialStatus.INTERRUPTED, "interrupted before it could start again");
            }
            requeued.clear();
            running.values().forEach(r -> r.actor().tell(TrialActor.Interrupt.INSTANCE));
            fillSlots();
        }
        return this;
    }

    /** Stops the sweep as an interrupt does: what the disk still takes is checkpointed and journalled. */
    private Behavior<Command> onStorageFailed(StorageFailed msg) {
        if (storageError == null) {
            storageError = msg.error();
        }
        return onInterrupt();
    }

    private Behavior<Command> onEpochNotRecorded(EpochNotRecorded msg) {
        Running r = running.get(msg.trial());
        if (r != null) {
            r.actor().tell(new TrialActor.EpochNotRecorded(msg.reason()));
        }
        return this;
    }

    private void fillSlots() {
        while (!finishing && !interrupted) {
            String slot = freeSlot();
            if (slot == null) {
                break;
            }
            TrialRun run = !requeued.isEmpty() ? requeued.poll() : timeBudgetSpent() ? null : nextRun();
            if (run == null) {
                break;
            }
            launch(run, slot.isEmpty() ? null : slot);
        }
        // While a lost trial's restart point is pending, the source is not asked (TPE would propose
        // before that trial's remaining epochs, as a one-machine sweep would not).
        boolean over = interrupted || requeueing == 0 && requeued.isEmpty() && (budgetSpent || !anyLeft());
        if (running.isEmpty() && requeueing == 0 && requeued.isEmpty() && over && !finishing) {
            finishing = true;
            ActorRef<MetricsAggregator.FilesClosed> done =
                getContext().messageAdapter(MetricsAggregator.FilesClosed.class, WrappedAggregatorDone::new);
            aggregator.tell(new MetricsAggregator.SweepFinished(done, interrupted));
        }
    }

    /** "" for this JVM, a worker's id, or null when every slot is taken. */
    private String freeSlot() {
        if (localBusy < localSlots) {
            return "";
        }
        for (Map.Entry<String, Worker> w : workers.entrySet()) {
            if (!w.getValue().leaving && w.getValue().busy < w.getValue().slots) {
                return w.getKey();
            }
        }
        return null;
    }

    private TrialRun nextRun() {
        if (requeueing > 0) {
            return null;
        }
        if (peeked != null) {
            TrialRun run = peeked;
            peeked = null;
            return run;
        }
        return resumed.isEmpty() ? source.next().map(TrialRun::fresh).orElse(null) : resumed.poll();
    }

    /** Whether a trial is still to run; asked only when none runs, so it takes one from the source early only then. */
    private boolean anyLeft() {
        if (peeked == null && running.isEmpty()) {
            peeked = nextRun();
        }
        return peeked != null || !running.isEmpty();
    }

    /** Starts {@code run} here ({@code worker} null) or on a worker. */
    private void launch(TrialRun run, String worker) {
        TrialSpec trial = run.trial();
        int attempt = attempts.merge(trial.id(), 1, Integer::sum);
        String where = worker == null ? (clustered ? "coordinator" : null) : workerName(worker);
        aggregator.tell(new MetricsAggregator.TrialStarted(run, where, attempt));
        TrialActor.CheckpointPolicy policy = new TrialActor.CheckpointPolicy(
            plan.space().execution().checkpointEvery(), plan.space().execution().keepLast(),
            plan.paths().trialCheckpoints(trial.id()));
        String name = attempt == 1 ? trial.id() : trial.id() + "-attempt-" + attempt;
        ActorRef<TrialActor.Command> actor;
        if (worker == null) {
            actor = getContext().spawn(
                TrialActor.create(run, factory, trainingExecutor, policy, plan.paths().trialModel(trial.id()),
                    aggregator, getContext().getSelf()),
                name);
            localBusy++;
        } else {
            Worker w = workers.get(worker);
            ActorRef<Object> remote = getContext().spawn(w.host.trial(new TrialHost.Launch(run, attempt, policy,
                plan.paths().trialModel(trial.id()), aggregator, getContext().getSelf())), name,
                DispatcherSelector.fromConfig(IO_DISPATCHER));
            actor = remote.narrow();
            w.busy++;
        }
        getContext().watchWith(actor, new WrappedTrialActorStopped(trial.id(), attempt));
        running.put(trial.id(), new Running(actor, worker, attempt));
    }

    /** search.time_budget: once spent, no new trial starts; the running ones finish. */
    private boolean timeBudgetSpent() {
        long budget = plan.space().search().timeBudgetSeconds();
        if (!budgetSpent && budget > 0 && System.nanoTime() - startNanos >= budget * 1_000_000_000L) {
            budgetSpent = true;
            console.accept("time budget of " + budget + "s spent: no new trials start");
        }
        return budgetSpent;
    }

    /** A sweep whose files could not be written, or whose every checkpoint failed, ends with an error. */
    private Behavior<Command> onAggregatorDone(WrappedAggregatorDone msg) {
        String error = null;
        if (storageError != null) {
            error = storageError + "; the sweep stopped, its running trials were interrupted. Once the sweep's"
                + " files can be written again, continue with: hpsweep resume " + plan.space().name();
        } else if (msg.closed().everyCheckpointFailed()) {
            error = "every checkpoint of this run failed (" + msg.closed().checkpointsFailed() + "): "
                + msg.closed().checkpointFailure();
        }
        replyTo.tell(new SweepOutcome(ended, interrupted, error));
        return Behaviors.stopped();
    }

    /** The aggregator stops by itself only after SweepFinished; any other stop is a failure of the sweep. */
    private Behavior<Command> onAggregatorTerminated(Terminated signal) {
        if (finishing) {
            return this;
        }
        replyTo.tell(new SweepOutcome(ended, interrupted, "the metrics aggregator failed; see the log above"));
        return Behaviors.stopped();
    }
}
