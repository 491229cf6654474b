package dev.hpsweep.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Leave;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A worker JVM's one actor facing the cluster: registers with the Receptionist, checks the sweep
 * the coordinator announces ({@link WorkerSetup}), then runs each trial attempt the coordinator
 * starts in a {@link WorkerTrial} child, routing the coordinator's packets to it by channel.
 * Owns nothing but its scratch directory. Its session ends when the coordinator is gone, or,
 * after {@link Drain} (SIGTERM), once its trials have been handed back.
 */
public final class WorkerNode extends AbstractBehavior<Object> {

    /** Hand the running trials back (checkpointed) and leave the cluster. */
    public enum Drain {
        INSTANCE
    }

    /** How a session ended, for the worker command: refused (exit 2), coordinator gone, or drained. */
    public sealed interface SessionEnd {
        record Refused(String reason) implements SessionEnd {
        }

        record CoordinatorGone() implements SessionEnd {
        }

        record Drained() implements SessionEnd {
        }
    }

    private record SetupDone(ClusterProtocol.Hello hello, WorkerSetup.Accepted accepted, Throwable failure) {
    }

    public static Behavior<Object> create(WorkerSetup setup, Path scratch, Consumer<String> console,
                                          Consumer<SessionEnd> ended) {
        return Behaviors.setup(ctx -> new WorkerNode(ctx, setup, scratch, console, ended));
    }

    private final WorkerSetup setup;
    private final Path scratch;
    private final Consumer<String> console;
    private final Consumer<SessionEnd> ended;
    private final String name;
    private final Map<String, ActorRef<Object>> trials = new HashMap<>();
    /** Channels this session ran: a START chunk sent again after its trial ended starts nothing. */
    private final java.util.Set<String> seen = new java.util.HashSet<>();
    private ActorRef<Wire> coordinator;
    private WorkerSetup.Accepted accepted;
    private boolean draining;

    private WorkerNode(ActorContext<Object> ctx, WorkerSetup setup, Path scratch, Consumer<String> console,
                       Consumer<SessionEnd> ended) {
        super(ctx);
        this.setup = setup;
        this.scratch = scratch;
        this.console = console;
        this.ended = ended;
        this.name = Cluster.get(ctx.getSystem()).selfMember().address().hostPort().replaceFirst("^[^@]*@", "");
        ctx.getSystem().receptionist().tell(Receptionist.register(ClusterProtocol.WORKERS, ctx.getSelf().narrow()));
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
            .onMessage(ClusterProtocol.Hello.class, this::onHello)
            .onMessage(SetupDone.class, this::onSetupDone)
            .onMessage(Packet.class, this::onPacket)
            .onMessageEquals(Drain.INSTANCE, this::onDrain)
            .onSignal(Terminated.class, this::onTerminated)
            .onAnyMessage(msg -> this)
            .build();
    }

    private Behavior<Object> onHello(ClusterProtocol.Hello hello) {
        if (coordinator != null) {
            if (accepted != null && hello.coordinator().equals(coordinator)) {
                // It did not get the answer (sent at most once): say it again.
                coordinator.tell(new ClusterProtocol.Ready(getContext().getSelf().narrow(), name, accepted.slots()));
            }
            return this;
        }
        coordinator = hello.coordinator();
        getContext().watch(coordinator);
        console.accept("coordinator found: sweep '" + hello.sweep() + "'; checking its build, search space and data");
        var blocking = getContext().getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
            try {
                return setup.accept(hello);
            } catch (WorkerSetup.Refusal r) {
                throw new java.util.concurrent.CompletionException(r);
            }
        }, blocking), (ok, failure) -> new SetupDone(hello, ok, failure));
        return this;
    }

    private Behavior<Object> onSetupDone(SetupDone msg) {
        if (msg.failure() != null) {
            Throwable t = msg.failure();
            while (t.getCause() != null && !(t instanceof WorkerSetup.Refusal)) {
                t = t.getCause();
            }
            String reason = t instanceof WorkerSetup.Refusal ? t.getMessage() : t.toString();
            msg.hello().coordinator().tell(new ClusterProtocol.Refused(getContext().getSelf().narrow(), name, reason));
            ended.accept(new SessionEnd.Refused(reason));
            return Behaviors.stopped();
        }
        accepted = msg.accepted();
        console.accept("worker " + name + " takes part in sweep '" + msg.hello().sweep() + "' with "
            + accepted.slots() + " slot(s)");
        msg.hello().coordinator().tell(new ClusterProtocol.Ready(getContext().getSelf().narrow(), name,
            accepted.slots()));
        return this;
    }

    private Behavior<Object> onPacket(Packet p) {
        ActorRef<Object> trial = trials.get(p.channel());
        if (trial == null) {
            if (accepted == null || !ClusterProtocol.START.equals(p.kind()) || p.chunk() != 0 || !seen.add(p.channel())) {
                return this;
            }
            String childName = "trial-" + p.channel().replaceAll("[^A-Za-z0-9-]", "_");
            trial = getContext().spawn(WorkerTrial.create(p.channel(), p.from(), accepted.trainers(),
                scratch.resolve(childName)), childName, DispatcherSelector.blocking());
            getContext().watch(trial);
            trials.put(p.channel(), trial);
            if (draining) {
                trial.tell(WorkerTrial.Drain.INSTANCE);
            }
        }
        trial.tell(p);
        return this;
    }

    private Behavior<Object> onDrain() {
        if (draining) {
            return this;
        }
        draining = true;
        if (coordinator != null) {
            coordinator.tell(new ClusterProtocol.Leaving(getContext().getSelf().narrow()));
        }
        trials.values().forEach(t -> t.tell(WorkerTrial.Drain.INSTANCE));
        return leaveIfDrained();
    }

    private Behavior<Object> onTerminated(Terminated signal) {
        if (signal.getRef().equals(coordinator)) {
            console.accept("the coordinator is gone");
            ended.accept(new SessionEnd.CoordinatorGone());
            return Behaviors.stopped();
        }
        trials.values().remove(signal.getRef());
        return leaveIfDrained();
    }

    /** Removes a scratch directory and all in it; what cannot be removed stays (it is only scratch). */
    public static void deleteScratch(Path root) {
        if (!java.nio.file.Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // the next session or attempt uses a directory of its own
        }
    }

    private Behavior<Object> leaveIfDrained() {
        if (draining && trials.isEmpty()) {
            Cluster cluster = Cluster.get(getContext().getSystem());
            cluster.manager().tell(Leave.create(cluster.selfMember().address()));
            ended.accept(new SessionEnd.Drained());
            return Behaviors.stopped();
        }
        return this;
    }
}
