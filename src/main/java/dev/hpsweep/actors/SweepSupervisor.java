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

    private record WrappedTrialActorStopped(String trial) implements Command {
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
        return Behaviors.setup(ctx -> new SweepSupervisor(ctx, plan, factory, stopping, console, replyTo));
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
    private final Map<String, ActorRef<TrialActor.Command>> running = new HashMap<>();
    private final Map<TrialStatus, Integer> ended = new EnumMap<>(TrialStatus.class);
    private boolean finishing;
    private boolean interrupted;
    /** Why the sweep's files could not be written, or null. */
    private String storageError;

    private SweepSupervisor(ActorContext<Command> ctx, SweepPlan plan, TrainerFactory factory, EarlyStopping stopping,
                            Consumer<String> console, ActorRef<SweepOutcome> replyTo) {
        super(ctx);
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
        source.onEpoch(m.trial(), m.epoch(), plan.space().objective().oriented(m.metrics()));
        return this;
    }

    private Behavior<Command> onTrialEnded(TrialEnded msg) {
        return trialEnded(msg.trial(), msg.status(), msg.reason());
    }

    /** A trial actor that stopped without saying how it ended (a bug in it, say) fails that trial alone. */
    private Behavior<Command> onTrialActorStopped(WrappedTrialActorStopped msg) {
        if (!running.containsKey(msg.trial())) {
            return this;
        }
        return trialEnded(msg.trial(), TrialStatus.FAILED, "its actor stopped unexpectedly");
    }

    private Behavior<Command> trialEnded(String trial, TrialStatus status, String reason) {
        if (running.remove(trial) == null) {
            return this;
        }
        ended.merge(status, 1, Integer::sum);
        source.onFinished(trial);
        aggregator.tell(new MetricsAggregator.TrialFinished(trial, status, reason));
        fillSlots();
        return this;
    }

    private Behavior<Command> onInterrupt() {
        if (!interrupted) {
            interrupted = true;
            resumed.clear();
            running.values().forEach(actor -> actor.tell(TrialActor.Interrupt.INSTANCE));
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
        ActorRef<TrialActor.Command> actor = running.get(msg.trial());
        if (actor != null) {
            actor.tell(new TrialActor.EpochNotRecorded(msg.reason()));
        }
        return this;
    }

    private void fillSlots() {
        while (running.size() < plan.concurrency() && !finishing && !interrupted && !timeBudgetSpent()) {
            TrialRun run = resumed.isEmpty() ? source.next().map(TrialRun::fresh).orElse(null) : resumed.poll();
            if (run == null) {
                break;
            }
            TrialSpec trial = run.trial();
            aggregator.tell(new MetricsAggregator.TrialStarted(run));
            TrialActor.CheckpointPolicy policy = new TrialActor.CheckpointPolicy(
                plan.space().execution().checkpointEvery(), plan.space().execution().keepLast(),
                plan.paths().trialCheckpoints(trial.id()));
            ActorRef<TrialActor.Command> actor = getContext().spawn(
                TrialActor.create(run, factory, trainingExecutor, policy, plan.paths().trialModel(trial.id()),
                    aggregator, getContext().getSelf()),
                trial.id());
            getContext().watchWith(actor, new WrappedTrialActorStopped(trial.id()));
            running.put(trial.id(), actor);
        }
        if (running.isEmpty() && !finishing) {
            finishing = true;
            ActorRef<MetricsAggregator.FilesClosed> done =
                getContext().messageAdapter(MetricsAggregator.FilesClosed.class, WrappedAggregatorDone::new);
            aggregator.tell(new MetricsAggregator.SweepFinished(done, interrupted));
        }
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
