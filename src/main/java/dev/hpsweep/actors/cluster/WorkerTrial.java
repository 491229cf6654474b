package dev.hpsweep.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.hpsweep.actors.MetricsAggregator;
import dev.hpsweep.actors.SweepSupervisor;
import dev.hpsweep.actors.TrialActor;
import dev.hpsweep.actors.TrialRun;
import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.Decision;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.TrainerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * On a worker, one attempt of one trial: it runs the very {@link TrialActor} a local sweep runs,
 * standing in for that actor's aggregator and supervisor. What the TrialActor would tell them
 * goes to the coordinator over the attempt's channel, in order: each epoch (then it waits for the
 * decision that comes back), each checkpoint's bytes (written first to this worker's scratch
 * directory), the final model, the end. Nothing of the trial is kept here once the end is acknowledged.
 */
final class WorkerTrial extends AbstractBehavior<Object> {

    /** The worker is leaving: interrupt the trial, and hand it back with its checkpoint. */
    enum Drain {
        INSTANCE
    }

    static Behavior<Object> create(String channel, ActorRef<Wire> coordinatorSide, TrainerFactory trainers,
                                   Path scratch) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(RemoteTrial.Resend.INSTANCE, RemoteTrial.RESEND);
            return new WorkerTrial(ctx, channel, coordinatorSide, trainers, scratch);
        }));
    }

    private final ActorRef<Wire> coordinatorSide;
    private final TrainerFactory trainers;
    private final Path scratch;
    private final Outbox outbox;
    private final Inbox inbox;
    private ActorRef<TrialActor.Command> trialActor;
    private ActorRef<Decision> awaitingDecision;
    private String trialId = "?";
    private Path modelFile;
    private boolean draining;
    private boolean ended;

    private WorkerTrial(ActorContext<Object> ctx, String channel, ActorRef<Wire> coordinatorSide,
                        TrainerFactory trainers, Path scratch) {
        super(ctx);
        this.coordinatorSide = coordinatorSide;
        this.trainers = trainers;
        this.scratch = scratch;
        this.outbox = new Outbox(channel, ctx.getSelf().narrow());
        this.inbox = new Inbox(channel);
        ctx.watch(coordinatorSide);
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
            .onMessage(Packet.class, this::onPacket)
            .onMessage(Ack.class, this::onAck)
            .onMessageEquals(RemoteTrial.Resend.INSTANCE, () -> {
                outbox.resend().ifPresent(coordinatorSide::tell);
                return this;
            })
            .onSignal(akka.actor.typed.PostStop.class, signal -> {
                deleteScratch();
                return this;
            })
            .onMessage(MetricsAggregator.EpochFinished.class, this::onEpoch)
            .onMessage(MetricsAggregator.CheckpointWritten.class, this::onCheckpoint)
            .onMessage(MetricsAggregator.CheckpointFailed.class,
                msg -> send(ClusterProtocol.CHECKPOINT_FAILED, Map.of("reason", msg.reason()), new byte[0]))
            .onMessage(SweepSupervisor.TrialEnded.class, this::onTrialEnded)
            .onMessageEquals(Drain.INSTANCE, this::onDrain)
            .onSignal(Terminated.class, this::onTrialActorStopped)
            .onAnyMessage(msg -> this)
            .build();
    }

    private Behavior<Object> send(String kind, Map<String, String> header, byte[] body) {
        outbox.enqueue(kind, header, body);
        outbox.next().ifPresent(coordinatorSide::tell);
        return this;
    }

    private Behavior<Object> onAck(Ack ack) {
        outbox.onAck(ack);
        outbox.next().ifPresent(coordinatorSide::tell);
        if (ended && outbox.idle()) {
            deleteScratch();
            return Behaviors.stopped();
        }
        return this;
    }

    /** A channel that breaks stops this attempt; the coordinator's side sees it stop and counts it lost. */
    private Behavior<Object> onPacket(Packet p) {
        try {
            p.from().tell(inbox.ack(p));
            return inbox.onPacket(p).map(this::onMessage).orElse(this);
        } catch (RuntimeException e) {
            getContext().getLog().warn("{}: the channel to the coordinator broke", trialId, e);
            return Behaviors.stopped();
        }
    }

    private Behavior<Object> onMessage(Message m) {
        Map<String, String> h = m.header();
        switch (m.kind()) {
            case ClusterProtocol.START -> start(h, m.body());
            case ClusterProtocol.DECISION -> {
                if (awaitingDecision != null) {
                    awaitingDecision.tell(new Decision(Boolean.parseBoolean(h.get("stop")), h.get("reason")));
                    awaitingDecision = null;
                }
            }
            case ClusterProtocol.INTERRUPT -> {
                if (trialActor != null) {
                    trialActor.tell(TrialActor.Interrupt.INSTANCE);
                }
            }
            case ClusterProtocol.NOT_RECORDED -> {
                if (trialActor != null) {
                    trialActor.tell(new TrialActor.EpochNotRecorded(h.get("reason")));
                }
            }
            default -> getContext().getLog().warn("{}: unknown message '{}' from the coordinator", trialId, m.kind());
        }
        return this;
    }

    private void start(Map<String, String> h, byte[] checkpoint) {
        TrialSpec trial = WireJson.readTrial(h.get("trial"));
        trialId = trial.id();
        Path from = null;
        try {
            Files.createDirectories(scratch);
            if (h.containsKey("checkpoint")) {
                from = scratch.resolve("from-" + Path.of(h.get("checkpoint")).getFileName());
                AtomicFiles.write(from, checkpoint);
            }
        } catch (IOException | RuntimeException e) {
            endWith(TrialStatus.FAILED, "worker cannot write its scratch directory " + scratch + ": " + e.getMessage());
            return;
        }
        modelFile = scratch.resolve("model.bin");
        TrialActor.CheckpointPolicy policy = new TrialActor.CheckpointPolicy(Integer.parseInt(h.get("checkpoint_every")),
            Integer.parseInt(h.get("keep_last")), scratch.resolve("checkpoints"));
        TrialRun run = new TrialRun(trial, from, Integer.parseInt(h.get("epochs_done")), h.get("stop_reason"));
        var executor = getContext().getSystem().dispatchers()
            .lookup(DispatcherSelector.fromConfig(SweepSupervisor.TRAINING_DISPATCHER));
        trialActor = getContext().spawn(TrialActor.create(run, trainers, executor, policy, modelFile,
            getContext().getSelf().narrow(), getContext().getSelf().narrow()), "trial");
        getContext().watch(trialActor);
        if (draining) {
            trialActor.tell(TrialActor.Interrupt.INSTANCE);
        }
    }

    private Behavior<Object> onEpoch(MetricsAggregator.EpochFinished msg) {
        awaitingDecision = msg.replyTo();
        return send(ClusterProtocol.EPOCH, Map.of(), WireJson.write(msg.metrics()));
    }

    /** Read at once: the TrialActor writes the next checkpoint (and prunes this one) only after the next epoch. */
    private Behavior<Object> onCheckpoint(MetricsAggregator.CheckpointWritten msg) {
        Path file = Path.of(msg.file());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return send(ClusterProtocol.CHECKPOINT_FAILED, Map.of("reason", "cannot read " + file + " to ship it: "
                + e.getMessage()), new byte[0]);
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("file", file.getFileName().toString());
        h.put("epochs", Integer.toString(msg.epochs()));
        h.put("batches", Integer.toString(msg.batches()));
        return send(ClusterProtocol.CHECKPOINT, h, bytes);
    }

    private Behavior<Object> onTrialEnded(SweepSupervisor.TrialEnded msg) {
        if ((msg.status() == TrialStatus.COMPLETED || msg.status() == TrialStatus.STOPPED) && modelFile != null
                && Files.exists(modelFile)) {
            try {
                send(ClusterProtocol.MODEL, Map.of(), Files.readAllBytes(modelFile));
            } catch (IOException e) {
                getContext().getLog().warn("{}: cannot read its model to ship it: {}", trialId, e.toString());
            }
        }
        return endWith(msg.status(), msg.reason());
    }

    private Behavior<Object> endWith(TrialStatus status, String reason) {
        ended = true;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("status", status.name());
        h.put("reason", reason);
        h.put("returned", Boolean.toString(draining && status == TrialStatus.INTERRUPTED));
        return send(ClusterProtocol.ENDED, h, new byte[0]);
    }

    private Behavior<Object> onDrain() {
        draining = true;
        if (trialActor != null) {
            trialActor.tell(TrialActor.Interrupt.INSTANCE);
        }
        return this;
    }

    private Behavior<Object> onTrialActorStopped(Terminated signal) {
        if (signal.getRef().equals(coordinatorSide)) {
            // The coordinator's side of this attempt is gone (it was counted lost there): stop training it.
            return Behaviors.stopped();
        }
        if (!ended) {
            return endWith(TrialStatus.FAILED, "its actor stopped unexpectedly");
        }
        return this;
    }

    private void deleteScratch() {
        WorkerNode.deleteScratch(scratch);
    }
}
