package dev.hpsweep.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.Decision;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.EpochResult;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainerFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Trains one trial: builds its trainer, then runs one epoch at a time on the training executor
 * (never more than one in flight), sends each epoch's metrics to the aggregator and waits for its
 * decision before the next. Any failure of the trainer (exception, non-finite loss, native
 * out-of-memory) ends this trial FAILED with the reason; it never escalates to the sweep.
 */
public final class TrialActor extends AbstractBehavior<TrialActor.Command> {

    public sealed interface Command {
    }

    private record WrappedTrainerReady(Trainer trainer, Throwable failure) implements Command {
    }

    private record WrappedEpochDone(int epoch, EpochResult result, Throwable failure) implements Command {
    }

    private record WrappedDecision(Decision decision) implements Command {
    }

    public static Behavior<Command> create(TrialSpec trial, TrainerFactory factory, Executor trainingExecutor,
                                           ActorRef<MetricsAggregator.Command> aggregator,
                                           ActorRef<SweepSupervisor.Command> supervisor) {
        return Behaviors.setup(ctx -> new TrialActor(ctx, trial, factory, trainingExecutor, aggregator, supervisor));
    }

    private final TrialSpec trial;
    private final Executor executor;
    private final ActorRef<MetricsAggregator.Command> aggregator;
    private final ActorRef<SweepSupervisor.Command> supervisor;
    private final ActorRef<Decision> decisionAdapter;
    private Trainer trainer;
    private int epoch;

    private TrialActor(ActorContext<Command> ctx, TrialSpec trial, TrainerFactory factory, Executor executor,
                       ActorRef<MetricsAggregator.Command> aggregator, ActorRef<SweepSupervisor.Command> supervisor) {
        super(ctx);
        this.trial = trial;
        this.executor = executor;
        this.aggregator = aggregator;
        this.supervisor = supervisor;
        this.decisionAdapter = ctx.messageAdapter(Decision.class, WrappedDecision::new);
        ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> factory.create(trial), executor),
            (trainer, failure) -> new WrappedTrainerReady(trainer, failure));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(WrappedTrainerReady.class, this::onTrainerReady)
            .onMessage(WrappedEpochDone.class, this::onEpochDone)
            .onMessage(WrappedDecision.class, this::onDecision)
            .onSignal(PostStop.class, signal -> closeTrainer())
            .build();
    }

    private Behavior<Command> onTrainerReady(WrappedTrainerReady msg) {
        if (msg.failure() != null) {
            return finish(TrialStatus.FAILED, "could not build the model: " + describe(msg.failure()));
        }
        trainer = msg.trainer();
        return startEpoch(1);
    }

    private Behavior<Command> startEpoch(int next) {
        epoch = next;
        Trainer t = trainer;
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> t.runEpoch(next), executor),
            (result, failure) -> new WrappedEpochDone(next, result, failure));
        return this;
    }

    private Behavior<Command> onEpochDone(WrappedEpochDone msg) {
        if (msg.failure() != null) {
            return finish(TrialStatus.FAILED, "epoch " + msg.epoch() + ": " + describe(msg.failure()));
        }
        EpochResult r = msg.result();
        EpochMetrics metrics = new EpochMetrics(trial.id(), msg.epoch(), trial.epochs(),
            r.metrics(), r.iterations(), r.samples(), r.seconds(), System.currentTimeMillis());
        aggregator.tell(new MetricsAggregator.EpochFinished(metrics, decisionAdapter));
        supervisor.tell(new SweepSupervisor.EpochReported(metrics));
        return this;
    }

    private Behavior<Command> onDecision(WrappedDecision msg) {
        if (epoch >= trial.epochs()) {
            return finish(TrialStatus.COMPLETED, "");
        }
        if (msg.decision().stop()) {
            return finish(TrialStatus.STOPPED, msg.decision().reason());
        }
        return startEpoch(epoch + 1);
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

    /** The root cause's message, or its type where it has none (an OutOfMemoryError, say). */
    static String describe(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t.getCause() != null && t.getMessage() == null)
            && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName()
            : t.getClass().getSimpleName() + ": " + message;
    }
}
