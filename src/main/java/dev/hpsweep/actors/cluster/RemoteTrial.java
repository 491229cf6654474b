package dev.hpsweep.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.hpsweep.actors.MetricsAggregator;
import dev.hpsweep.actors.SweepSupervisor;
import dev.hpsweep.actors.TrialActor;
import dev.hpsweep.actors.TrialHost;
import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.Decision;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * On the coordinator, stands for one attempt of a trial that runs on a worker: the supervisor
 * talks to it as to a TrialActor, and it talks to the worker over the attempt's channel. It
 * ships the checkpoint to start from, passes epochs to the aggregator and decisions back, and
 * writes what the worker ships (checkpoints, the final model) where a local trial would have
 * written them, atomically, before it journals them. If the worker goes away, the attempt is lost.
 * Runs on the io dispatcher (its file writes block).
 */
final class RemoteTrial extends AbstractBehavior<Object> {

    static Behavior<Object> create(TrialHost.Launch launch, ActorRef<Wire> worker, String workerName) {
        return Behaviors.setup(ctx -> {
            byte[] checkpoint;
            try {
                checkpoint = launch.run().checkpoint() == null ? new byte[0]
                    : Files.readAllBytes(launch.run().checkpoint());
            } catch (IOException e) {
                launch.supervisor().tell(new SweepSupervisor.TrialEnded(launch.run().trial().id(), TrialStatus.FAILED,
                    "cannot read " + launch.run().checkpoint() + " to send it to " + workerName + ": " + e));
                return Behaviors.stopped();
            }
            return Behaviors.withTimers(timers -> {
                // Artery delivers at most once: a packet or ack lost while a connection restarts is sent again.
                timers.startTimerWithFixedDelay(Resend.INSTANCE, RESEND);
                return new RemoteTrial(ctx, launch, worker, workerName, checkpoint);
            });
        });
    }

    /** How often the packet in flight is sent again while it is not acknowledged. */
    static final java.time.Duration RESEND = java.time.Duration.ofSeconds(2);

    enum Resend {
        INSTANCE
    }

    private record WrappedDecision(Decision decision) {
    }

    private final TrialHost.Launch launch;
    private final TrialSpec trial;
    private final ActorRef<Wire> worker;
    private final String workerName;
    private final Outbox outbox;
    private final Inbox inbox;
    private final CheckpointStore checkpoints;
    private final ActorRef<Decision> decisions;
    /** A model that could not be written here: the trial's reason says so. */
    private String modelNote = "";
    private boolean ended;
    /** The worker's side of this attempt, watched once its first packet names it. */
    private ActorRef<Wire> workerSide;

    private RemoteTrial(ActorContext<Object> ctx, TrialHost.Launch launch, ActorRef<Wire> worker, String workerName,
                        byte[] checkpoint) {
        super(ctx);
        this.launch = launch;
        this.trial = launch.run().trial();
        this.worker = worker;
        this.workerName = workerName;
        String channel = ClusterProtocol.channel(trial.id(), launch.attempt());
        this.outbox = new Outbox(channel, ctx.getSelf().narrow());
        this.inbox = new Inbox(channel);
        this.checkpoints = new CheckpointStore(launch.policy().dir(), launch.policy().keepLast());
        this.decisions = ctx.messageAdapter(Decision.class, WrappedDecision::new);
        ctx.watch(worker);
        Map<String, String> header = new LinkedHashMap<>();
        header.put("trial", WireJson.write(trial));
        header.put("epochs_done", Integer.toString(launch.run().epochsDone()));
        header.put("checkpoint_every", Integer.toString(launch.policy().every()));
        header.put("keep_last", Integer.toString(launch.policy().keepLast()));
        if (launch.run().checkpoint() != null) {
            header.put("checkpoint", launch.run().checkpoint().getFileName().toString());
        }
        if (launch.run().stopReason() != null) {
            header.put("stop_reason", launch.run().stopReason());
        }
        send(ClusterProtocol.START, header, checkpoint);
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
            .onMessage(Packet.class, this::onPacket)
            .onMessage(Ack.class, this::onAck)
            .onMessageEquals(Resend.INSTANCE, () -> {
                outbox.resend().ifPresent(worker::tell);
                return this;
            })
            .onMessage(WrappedDecision.class, this::onDecision)
            .onMessageEquals(TrialActor.Interrupt.INSTANCE, () -> send(ClusterProtocol.INTERRUPT, Map.of(), new byte[0]))
            .onMessage(TrialActor.EpochNotRecorded.class,
                msg -> send(ClusterProtocol.NOT_RECORDED, Map.of("reason", msg.reason()), new byte[0]))
            .onSignal(Terminated.class, this::onWorkerGone)
            .build();
    }

    private Behavior<Object> send(String kind, Map<String, String> header, byte[] body) {
        outbox.enqueue(kind, header, body);
        outbox.next().ifPresent(worker::tell);
        return this;
    }

    private Behavior<Object> onAck(Ack ack) {
        outbox.onAck(ack);
        outbox.next().ifPresent(worker::tell);
        return this;
    }

    private Behavior<Object> onDecision(WrappedDecision msg) {
        return send(ClusterProtocol.DECISION, Map.of("stop", Boolean.toString(msg.decision().stop()),
            "reason", msg.decision().reason()), new byte[0]);
    }

    /** A channel that breaks (a damaged chunk, a message that does not parse) ends the attempt as lost. */
    private Behavior<Object> onPacket(Packet p) {
        if (workerSide == null) {
            workerSide = p.from();
            getContext().watch(workerSide);
        }
        try {
            p.from().tell(inbox.ack(p));
            return inbox.onPacket(p).map(this::onMessage).orElse(this);
        } catch (RuntimeException e) {
            getContext().getLog().warn("{}: the channel to {} broke", trial.id(), workerName, e);
            return lost("its channel to worker " + workerName + " broke: " + e.getMessage());
        }
    }

    private Behavior<Object> lost(String reason) {
        ended = true;
        launch.supervisor().tell(new SweepSupervisor.TrialLost(trial.id(), launch.attempt(), true, reason));
        return Behaviors.stopped();
    }

    private Behavior<Object> onMessage(Message m) {
        Map<String, String> h = m.header();
        switch (m.kind()) {
            case ClusterProtocol.EPOCH -> {
                EpochMetrics metrics = WireJson.readEpoch(m.body());
                launch.aggregator().tell(new MetricsAggregator.EpochFinished(metrics, decisions));
                launch.supervisor().tell(new SweepSupervisor.EpochReported(metrics));
            }
            case ClusterProtocol.CHECKPOINT -> {
                int epochs = Integer.parseInt(h.get("epochs"));
                int batches = Integer.parseInt(h.get("batches"));
                try {
                    var file = checkpoints.accept(h.get("file"), m.body());
                    launch.aggregator().tell(new MetricsAggregator.CheckpointWritten(trial.id(), epochs, batches,
                        file.toString()));
                } catch (IOException | RuntimeException e) {
                    launch.aggregator().tell(new MetricsAggregator.CheckpointFailed(trial.id(),
                        "shipped from " + workerName + ": " + e.getMessage()));
                }
            }
            case ClusterProtocol.CHECKPOINT_FAILED ->
                launch.aggregator().tell(new MetricsAggregator.CheckpointFailed(trial.id(),
                    "on " + workerName + ": " + h.get("reason")));
            case ClusterProtocol.MODEL -> {
                try {
                    AtomicFiles.write(launch.modelFile(), m.body());
                } catch (RuntimeException e) {
                    modelNote = "model not saved: " + e.getMessage();
                }
            }
            case ClusterProtocol.ENDED -> {
                return onEnded(TrialStatus.valueOf(h.get("status")), h.get("reason"),
                    Boolean.parseBoolean(h.get("returned")));
            }
            default -> getContext().getLog().warn("{}: unknown message '{}' from {}", trial.id(), m.kind(), workerName);
        }
        return this;
    }

    private Behavior<Object> onEnded(TrialStatus status, String reason, boolean returned) {
        ended = true;
        if (returned) {
            launch.supervisor().tell(new SweepSupervisor.TrialLost(trial.id(), launch.attempt(), false,
                "worker " + workerName + " is leaving; " + reason));
        } else {
            String why = modelNote.isEmpty() ? reason : reason.isEmpty() ? modelNote : reason + "; " + modelNote;
            launch.supervisor().tell(new SweepSupervisor.TrialEnded(trial.id(), status, why));
        }
        return Behaviors.stopped();
    }

    /** Its worker, or the worker's side of this attempt, is gone before the end came. */
    private Behavior<Object> onWorkerGone(Terminated signal) {
        if (ended) {
            return Behaviors.stopped();
        }
        return lost(signal.getRef().equals(worker) ? "worker " + workerName + " was lost"
            : "its actor on worker " + workerName + " stopped");
    }
}
