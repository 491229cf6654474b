package dev.hpsweep.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.hpsweep.actors.SweepSupervisor.SweepOutcome;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.train.TrainerFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/** Starts an actor system for one sweep and runs it to its end, or until it is interrupted. */
public final class SweepRunner {

    private sealed interface Guardian {
    }

    private record Ended(SweepOutcome outcome) implements Guardian {
    }

    private enum InterruptSweep implements Guardian {
        INSTANCE
    }

    private final ActorSystem<Guardian> system;
    private final CompletableFuture<SweepOutcome> outcome;
    private final String sweep;

    private SweepRunner(ActorSystem<Guardian> system, CompletableFuture<SweepOutcome> outcome, String sweep) {
        this.system = system;
        this.outcome = outcome;
        this.sweep = sweep;
    }

    /**
     * A sweep whose trials also run on other machines: this JVM's slots, the actor system's cluster
     * settings, and the actor that brings workers in, spawned beside the supervisor.
     */
    public record Cluster(int localSlots, Config config,
                          Function<ActorRef<SweepSupervisor.Command>, Behavior<Object>> coordinator) {
    }

    /** Starts the sweep and returns at once. */
    public static SweepRunner start(SweepPlan plan, TrainerFactory factory, EarlyStopping stopping,
                                    Consumer<String> console) {
        return start(plan, factory, stopping, console, null);
    }

    /** Starts the sweep, on this JVM and, with {@code cluster} (null: none), on workers; returns at once. */
    public static SweepRunner start(SweepPlan plan, TrainerFactory factory, EarlyStopping stopping,
                                    Consumer<String> console, Cluster cluster) {
        CompletableFuture<SweepOutcome> outcome = new CompletableFuture<>();
        Behavior<Guardian> guardian = Behaviors.setup(ctx -> {
            ActorRef<SweepOutcome> replyTo = ctx.messageAdapter(SweepOutcome.class, Ended::new);
            ActorRef<SweepSupervisor.Command> supervisor = ctx.spawn(cluster == null
                ? SweepSupervisor.create(plan, factory, stopping, console, replyTo)
                : SweepSupervisor.create(plan, factory, stopping, console, replyTo, cluster.localSlots(), true),
                "supervisor");
            ctx.watch(supervisor);
            if (cluster != null) {
                ctx.spawn(cluster.coordinator().apply(supervisor), "coordinator");
            }
            return Behaviors.receive(Guardian.class)
                .onMessage(Ended.class, ended -> {
                    outcome.complete(ended.outcome());
                    return Behaviors.stopped();
                })
                .onMessageEquals(InterruptSweep.INSTANCE, () -> {
                    supervisor.tell(SweepSupervisor.Interrupt.INSTANCE);
                    return Behaviors.same();
                })
                .onSignal(Terminated.class, t -> {
                    // Stopped without an outcome: it failed (the cause is in the log).
                    outcome.complete(new SweepOutcome(Map.of(), false,
                        "the sweep supervisor stopped unexpectedly; see the log above"));
                    return Behaviors.stopped();
                })
                .build();
        });
        Config config = cluster == null ? config(plan) : cluster.config().withFallback(config(plan));
        return new SweepRunner(ActorSystem.create(guardian, "hpsweep", config), outcome, plan.space().name());
    }

    /** Runs a sweep to its end; blocks until every file is closed. */
    public static SweepOutcome run(SweepPlan plan, TrainerFactory factory, EarlyStopping stopping,
                                   Consumer<String> console) throws InterruptedException {
        return start(plan, factory, stopping, console).await();
    }

    /** Asks the sweep to stop: running trials checkpoint at their next batch boundary and end INTERRUPTED. */
    public void interrupt() {
        system.tell(InterruptSweep.INSTANCE);
    }

    /** Waits for the sweep's end, then shuts the actor system down. */
    public SweepOutcome await() throws InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sweep " + sweep + " failed", e.getCause());
        } finally {
            shutdown();
        }
    }

    /** Like {@link #await()}, but gives up after {@code timeout}. */
    public Optional<SweepOutcome> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sweep " + sweep + " failed", e.getCause());
        } finally {
            shutdown();
        }
    }

    private void shutdown() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }

    /** The training dispatcher gets one thread per concurrent trial, so no trial waits for a thread. */
    static Config config(SweepPlan plan) {
        return ConfigFactory.parseString("hpsweep.training-dispatcher.thread-pool-executor.fixed-pool-size = "
            + plan.concurrency()).withFallback(ConfigFactory.load());
    }
}
