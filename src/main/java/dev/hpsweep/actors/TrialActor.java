package dev.hpsweep.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.journal.JsonLines;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.Decision;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.CheckpointStore;
import dev.hpsweep.train.EpochResult;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainerFactory;
import dev.hpsweep.train.TrainingInterruptedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains one trial: builds its trainer (restoring a checkpoint when resuming), then runs one epoch
 * at a time on the training executor (never more than one piece of blocking work in flight),
 * sends each epoch's metrics to the aggregator and waits for its decision before the next.
 * Checkpoints every {@code checkpoint_every} epochs, when the trial ends, and when interrupted
 * (at a batch boundary). Any failure of the trainer (exception, non-finite loss, native
 * out-of-memory) ends this trial FAILED with the reason; it never escalates to the sweep.
 */
public final class TrialActor extends AbstractBehavior<TrialActor.Command> {

    public sealed interface Command {
    }

    /** Stop at the next batch boundary, checkpoint, and end INTERRUPTED. */
    public enum Interrupt implements Command {
        INSTANCE
    }

    /**
     * The epoch this trial reported last could not be journalled, so no decision comes and that
     * epoch does not count: the trial ends INTERRUPTED without checkpointing a state the journal
     * does not hold (resume goes on from its last checkpoint, as after a kill).
     */
    public record EpochNotRecorded(String reason) implements Command {
    }

    private record WrappedTrainerReady(Trainer trainer, Throwable failure) implements Command {
    }

    private record WrappedEpochDone(int epoch, EpochResult result, Throwable failure) implements Command {
    }

    private record WrappedDecision(Decision decision) implements Command {
    }

    private record WrappedCheckpointDone(CheckpointStore.Position position, Path file, Throwable failure,
                                         TrialStatus then, String reason) implements Command {
    }

    private record WrappedModelSaved(TrialStatus status, String reason, Throwable failure) implements Command {
    }

    /** How often to checkpoint (0: only at the end) and where. */
    public record CheckpointPolicy(int every, int keepLast, Path dir) {
    }

    /**
     * @param modelFile where a trial that ends COMPLETED or STOPPED saves its final model for the
     *                  report (null: nowhere)
     */
    public static Behavior<Command> create(TrialRun run, TrainerFactory factory, Executor trainingExecutor,
                                           CheckpointPolicy policy, Path modelFile,
                                           ActorRef<MetricsAggregator.Command> aggregator,
                                           ActorRef<SweepSupervisor.Command> supervisor) {
        return Behaviors.setup(ctx -> new TrialActor(ctx, run, factory, trainingExecutor, policy, modelFile,
            aggregator, supervisor));
    }

    private final TrialSpec trial;
    private final Executor executor;
    private final CheckpointPolicy policy;
    private final CheckpointStore checkpoints;
    private final ActorRef<MetricsAggregator.Command> aggregator;
    private final ActorRef<SweepSupervisor.Command> supervisor;
    private final ActorRef<Decision> decisionAdapter;
    private final Path modelFile;
    /** Read by the trainer between batches; the one piece of state shared with the training thread. */
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private Trainer trainer;
    private int epochsDone;
    /** An epoch was reported and its decision has not come: no work is in flight. */
    private boolean awaitingDecision;
    /** The rule stopped this trial before (see {@link TrialRun#stopReason()}); null if not. */
    private final String stopReason;

    private TrialActor(ActorContext<Command> ctx, TrialRun run, TrainerFactory factory, Executor executor,
                       CheckpointPolicy policy, Path modelFile, ActorRef<MetricsAggregator.Command> aggregator,
                       ActorRef<SweepSupervisor.Command> supervisor) {
        super(ctx);
        this.modelFile = modelFile;
        this.trial = run.trial();
        this.executor = executor;
        this.policy = policy;
        this.checkpoints = new CheckpointStore(policy.dir(), policy.keepLast());
        this.aggregator = aggregator;
        this.supervisor = supervisor;
        this.decisionAdapter = ctx.messageAdapter(Decision.class, WrappedDecision::new);
        this.epochsDone = run.epochsDone();
        this.stopReason = run.stopReason();
        Path from = run.checkpoint();
        ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> build(factory, from), executor),
            (trainer, failure) -> new WrappedTrainerReady(trainer, failure));
    }

    private Trainer build(TrainerFactory factory, Path checkpoint) {
        Trainer t = factory.create(trial);
        if (checkpoint != null) {
            try {
                CheckpointStore.restore(checkpoint, t);
            } catch (IOException | RuntimeException e) {
                t.close();
                throw new IllegalStateException("cannot restore " + checkpoint + ": " + e.getMessage(), e);
            }
        }
        return t;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(WrappedTrainerReady.class, this::onTrainerReady)
            .onMessage(WrappedEpochDone.class, this::onEpochDone)
            .onMessage(WrappedDecision.class, this::onDecision)
            .onMessage(WrappedCheckpointDone.class, this::onCheckpointDone)
            .onMessage(WrappedModelSaved.class, this::onModelSaved)
            .onMessageEquals(Interrupt.INSTANCE, this::onInterrupt)
            .onMessage(EpochNotRecorded.class, this::onEpochNotRecorded)
            .onSignal(PostStop.class, signal -> {
                // An epoch still running (its actor system is going away) stops at its next batch.
                stopRequested.set(true);
                return closeTrainer();
            })
            .build();
    }

    private Behavior<Command> onTrainerReady(WrappedTrainerReady msg) {
        if (msg.failure() != null) {
            return finish(TrialStatus.FAILED, "could not build the model: " + describe(msg.failure()));
        }
        trainer = msg.trainer();
        if (stopRequested.get()) {
            return finish(TrialStatus.INTERRUPTED, "interrupted before its first epoch here");
        }
        if (epochsDone >= trial.epochs()) {
            return checkpoint(new CheckpointStore.Position(epochsDone, 0), TrialStatus.COMPLETED, "");
        }
        if (stopReason != null) {
            return saveModelThenFinish(TrialStatus.STOPPED, stopReason);
        }
        return startEpoch(epochsDone + 1);
    }

    private Behavior<Command> startEpoch(int epoch) {
        Trainer t = trainer;
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> t.runEpoch(epoch, stopRequested::get), executor),
            (result, failure) -> new WrappedEpochDone(epoch, result, failure));
        return this;
    }

    private Behavior<Command> onEpochDone(WrappedEpochDone msg) {
        if (msg.failure() != null) {
            Throwable cause = unwrap(msg.failure());
            if (cause instanceof TrainingInterruptedException i) {
                return checkpoint(new CheckpointStore.Position(i.epochsDone(), i.batchesDone()),
                    TrialStatus.INTERRUPTED, "interrupted in epoch " + msg.epoch());
            }
            return finish(TrialStatus.FAILED, "epoch " + msg.epoch() + ": " + describe(msg.failure()));
        }
        epochsDone = msg.epoch();
        EpochResult r = msg.result();
        EpochMetrics metrics = new EpochMetrics(trial.id(), msg.epoch(), trial.epochs(),
            r.metrics(), r.iterations(), r.samples(), r.seconds(), System.currentTimeMillis(), r.diagnostics());
        awaitingDecision = true;
        aggregator.tell(new MetricsAggregator.EpochFinished(metrics, decisionAdapter));
        supervisor.tell(new SweepSupervisor.EpochReported(metrics));
        return this;
    }

    private Behavior<Command> onDecision(WrappedDecision msg) {
        awaitingDecision = false;
        CheckpointStore.Position here = new CheckpointStore.Position(epochsDone, 0);
        if (epochsDone >= trial.epochs()) {
            return checkpoint(here, TrialStatus.COMPLETED, "");
        }
        if (msg.decision().stop()) {
            return checkpoint(here, TrialStatus.STOPPED, msg.decision().reason());
        }
        if (stopRequested.get()) {
            return checkpoint(here, TrialStatus.INTERRUPTED, "interrupted after epoch " + epochsDone);
        }
        if (policy.every() > 0 && epochsDone % policy.every() == 0) {
            return checkpoint(here, TrialStatus.RUNNING, "");
        }
        return startEpoch(epochsDone + 1);
    }

    /** Writes a checkpoint on the training executor; {@code then} is RUNNING to carry on, else how the trial ends. */
    private Behavior<Command> checkpoint(CheckpointStore.Position position, TrialStatus then, String reason) {
        Trainer t = trainer;
        String state = checkpointState(position);
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> checkpoints.write(position, t, state), executor),
            (file, failure) -> new WrappedCheckpointDone(position, file, failure, then, reason));
        return this;
    }

    private String checkpointState(CheckpointStore.Position position) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("trial", trial.id());
        state.put("epochs_done", position.epochs());
        state.put("batches_done", position.batches());
        state.put("params", trial.params());
        state.put("time", System.currentTimeMillis());
        try {
            return JsonLines.MAPPER.writeValueAsString(state);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Behavior<Command> onCheckpointDone(WrappedCheckpointDone msg) {
        if (msg.failure() != null) {
            aggregator.tell(new MetricsAggregator.CheckpointFailed(trial.id(), describe(msg.failure())));
        } else {
            aggregator.tell(new MetricsAggregator.CheckpointWritten(trial.id(), msg.position().epochs(),
                msg.position().batches(), msg.file().toString()));
        }
        if (msg.then() == TrialStatus.COMPLETED || msg.then() == TrialStatus.STOPPED) {
            return saveModelThenFinish(msg.then(), msg.reason());
        }
        if (msg.then() != TrialStatus.RUNNING) {
            return finish(msg.then(), msg.reason());
        }
        if (stopRequested.get()) {
            return finish(TrialStatus.INTERRUPTED, "interrupted after epoch " + epochsDone);
        }
        return startEpoch(epochsDone + 1);
    }

    /** Saving blocks (serialisation, fsync), so it runs on the training executor like an epoch. */
    private Behavior<Command> saveModelThenFinish(TrialStatus status, String reason) {
        if (modelFile == null || trainer == null) {
            return finish(status, reason);
        }
        Trainer t = trainer;
        getContext().pipeToSelf(CompletableFuture.runAsync(() -> t.saveModel(modelFile), executor),
            (ok, failure) -> new WrappedModelSaved(status, reason, failure));
        return this;
    }

    /** A model that cannot be saved does not undo the training: the status stays, the reason says so. */
    private Behavior<Command> onModelSaved(WrappedModelSaved msg) {
        if (msg.failure() == null) {
            return finish(msg.status(), msg.reason());
        }
        String note = "model not saved: " + describe(msg.failure());
        getContext().getLog().warn("{}: {}", trial.id(), note);
        return finish(msg.status(), msg.reason().isEmpty() ? note : msg.reason() + "; " + note);
    }

    /**
     * Only raises the flag: whatever this actor is waiting for (a running epoch, which stops at
     * its next batch; the trainer being built; a decision; a checkpoint) checks it when it arrives.
     */
    private Behavior<Command> onInterrupt() {
        stopRequested.set(true);
        return this;
    }

    /** Only while waiting for a decision, when nothing runs on the trainer that closing it could break. */
    private Behavior<Command> onEpochNotRecorded(EpochNotRecorded msg) {
        if (!awaitingDecision) {
            return this;
        }
        stopRequested.set(true);
        return finish(TrialStatus.INTERRUPTED, "epoch " + epochsDone + " could not be journalled (" + msg.reason()
            + "); resume goes on from the last checkpoint");
    }

    private Behavior<Command> finish(TrialStatus status, String reason) {
        closeTrainer();
        supervisor.tell(new SweepSupervisor.TrialEnded(trial.id(), status, reason));
        return Behaviors.stopped();
    }

    private Behavior<Command> closeTrainer() {
        if (trainer != null) {
            try {
                trainer.close();
            } catch (RuntimeException e) {
                getContext().getLog().warn("{}: closing its trainer failed: {}", trial.id(), e.toString());
            }
            trainer = null;
        }
        return this;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The root cause's type and message. Running out of memory is named as such whichever way it
     * surfaced: a Java OutOfMemoryError (heap, or JavaCPP's off-heap limit) or libnd4j's bad_alloc.
     */
    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        // A file that cannot be written says so itself ("cannot write X: No space left on device").
        String text = message == null || message.isBlank() ? t.getClass().getSimpleName()
            : t instanceof UncheckedIOException ? message : t.getClass().getSimpleName() + ": " + message;
        boolean outOfMemory = t instanceof OutOfMemoryError || message != null && message.contains("bad_alloc");
        return outOfMemory ? "out of memory (" + text + ")" : text;
    }
}
