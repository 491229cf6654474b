package dev.hpsweep.actors;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.train.TrainerFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** Starts an actor system for one sweep, runs it to the end, and shuts the system down. */
public final class SweepRunner {
    private SweepRunner() {
    }

    /** Blocks until the sweep has ended and every file is closed. */
    public static SweepSupervisor.SweepOutcome run(SweepPlan plan, TrainerFactory factory, EarlyStopping stopping,
                                                   Consumer<String> console) throws InterruptedException {
        CompletableFuture<SweepSupervisor.SweepOutcome> outcome = new CompletableFuture<>();
        Behavior<SweepSupervisor.SweepOutcome> guardian = Behaviors.setup(ctx -> {
            var supervisor = ctx.spawn(SweepSupervisor.create(plan, factory, stopping, console, ctx.getSelf()),
                "supervisor");
            ctx.watch(supervisor);
            return Behaviors.receive(SweepSupervisor.SweepOutcome.class)
                .onMessage(SweepSupervisor.SweepOutcome.class, o -> {
                    outcome.complete(o);
                    return Behaviors.stopped();
                })
                .onSignal(Terminated.class, t -> {
                    // Stopped without an outcome: it failed (the cause is in the log).
                    outcome.complete(new SweepSupervisor.SweepOutcome(Map.of(),
                        "the sweep supervisor stopped unexpectedly; see the log above"));
                    return Behaviors.stopped();
                })
                .build();
        });
        ActorSystem<SweepSupervisor.SweepOutcome> system = ActorSystem.create(guardian, "hpsweep", config(plan));
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sweep " + plan.space().name() + " failed", e.getCause());
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }

    /** The training dispatcher gets one thread per concurrent trial, so no trial waits for a thread. */
    static Config config(SweepPlan plan) {
        return ConfigFactory.parseString("hpsweep.training-dispatcher.thread-pool-executor.fixed-pool-size = "
            + plan.concurrency()).withFallback(ConfigFactory.load());
    }
}
