package dev.hpsweep.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import dev.hpsweep.actors.SweepSupervisor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * On the coordinator, beside the supervisor: finds workers through the Receptionist, says hello
 * (the sweep, its build and data fingerprints, its search space), and tells the supervisor about
 * each worker that accepted (its slots), that leaves, or that is gone (DeathWatch; with the Split
 * Brain Resolver a killed worker is downed within seconds). Refusals are printed with their reason.
 */
public final class ClusterCoordinator extends AbstractBehavior<Object> {

    /** What the coordinator tells workers about the sweep; see {@link ClusterProtocol.Hello}. */
    public record SweepInfo(String sweep, String build, String spacePath, String spaceText, String spaceSha,
                            String dataSha) {
    }

    public static Behavior<Object> create(SweepInfo info, ActorRef<SweepSupervisor.Command> supervisor,
                                          Consumer<String> console) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            // Hello goes at most once: workers that have not answered get it again.
            timers.startTimerWithFixedDelay(HelloAgain.INSTANCE, java.time.Duration.ofSeconds(5));
            return new ClusterCoordinator(ctx, info, supervisor, console);
        }));
    }

    private enum HelloAgain {
        INSTANCE
    }

    private final SweepInfo info;
    private final ActorRef<SweepSupervisor.Command> supervisor;
    private final Consumer<String> console;
    private final Set<ActorRef<?>> greeted = new HashSet<>();
    private final Map<ActorRef<?>, String> names = new HashMap<>();
    private final Set<ActorRef<?>> refused = new HashSet<>();

    private ClusterCoordinator(ActorContext<Object> ctx, SweepInfo info, ActorRef<SweepSupervisor.Command> supervisor,
                               Consumer<String> console) {
        super(ctx);
        this.info = info;
        this.supervisor = supervisor;
        this.console = console;
        ActorRef<Receptionist.Listing> listings = ctx.getSelf().narrow();
        ctx.getSystem().receptionist().tell(Receptionist.subscribe(ClusterProtocol.WORKERS, listings));
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
            .onMessage(Receptionist.Listing.class, this::onListing)
            .onMessage(ClusterProtocol.Ready.class, this::onReady)
            .onMessageEquals(HelloAgain.INSTANCE, this::helloAgain)
            .onMessage(ClusterProtocol.Refused.class, this::onRefused)
            .onMessage(ClusterProtocol.Leaving.class, this::onLeaving)
            .onSignal(Terminated.class, this::onTerminated)
            .build();
    }

    private Behavior<Object> onListing(Receptionist.Listing listing) {
        for (ActorRef<Wire> worker : listing.getServiceInstances(ClusterProtocol.WORKERS)) {
            if (greeted.add(worker)) {
                worker.tell(hello());
            }
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private Behavior<Object> helloAgain() {
        for (ActorRef<?> worker : greeted) {
            if (!names.containsKey(worker) && !refused.contains(worker)) {
                ((ActorRef<Wire>) worker).tell(hello());
            }
        }
        return this;
    }

    private ClusterProtocol.Hello hello() {
        return new ClusterProtocol.Hello(getContext().getSelf().narrow(), info.sweep(), info.build(),
            info.spacePath(), info.spaceText(), info.spaceSha(), info.dataSha());
    }

    private Behavior<Object> onReady(ClusterProtocol.Ready msg) {
        if (names.containsKey(msg.worker())) {
            return this;
        }
        names.put(msg.worker(), msg.name());
        getContext().watch(msg.worker());
        console.accept("worker " + msg.name() + " joined with " + msg.slots() + " slot(s)");
        ActorRef<Wire> worker = msg.worker();
        String name = msg.name();
        supervisor.tell(new SweepSupervisor.WorkerJoined(id(worker), name, msg.slots(),
            launch -> RemoteTrial.create(launch, worker, name)));
        return this;
    }

    private Behavior<Object> onRefused(ClusterProtocol.Refused msg) {
        if (!refused.add(msg.worker())) {
            return this;
        }
        console.accept("worker " + msg.name() + " refused: " + msg.reason());
        return this;
    }

    private Behavior<Object> onLeaving(ClusterProtocol.Leaving msg) {
        String name = names.get(msg.worker());
        if (name != null) {
            console.accept("worker " + name + " is leaving; its trials come back with fresh checkpoints");
            supervisor.tell(new SweepSupervisor.WorkerLeaving(id(msg.worker())));
        }
        return this;
    }

    private Behavior<Object> onTerminated(Terminated signal) {
        ActorRef<?> worker = signal.getRef();
        String name = names.remove(worker);
        greeted.remove(worker);
        if (name != null) {
            console.accept("worker " + name + " is gone");
            supervisor.tell(new SweepSupervisor.WorkerGone(id(worker)));
        }
        return this;
    }

    private static String id(ActorRef<?> worker) {
        return worker.path().toSerializationFormat();
    }
}
