package dev.hpsweep.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.hpsweep.actors.FakeTrainer;
import dev.hpsweep.actors.SweepPlan;
import dev.hpsweep.actors.SweepRunner;
import dev.hpsweep.actors.SweepSupervisor.SweepOutcome;
import dev.hpsweep.durability.SweepProcess;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.TrialExpander;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator (a {@link SweepRunner} with a cluster, no local slots) and worker ActorSystems
 * ({@link WorkerNode}) in this JVM on 127.0.0.1, the workers training with {@link FakeTrainer}:
 * the whole protocol between them (hello, ready or refused, trials over acknowledged channels,
 * checkpoints shipped back, a lost worker's trial restarted elsewhere), without a model.
 */
@Timeout(120)
class ClusterProtocolTest {
    /** Several clusters' JMX beans in one JVM would clash (a warning, nothing more). */
    static final Config ONE_JVM = ConfigFactory.parseString("akka.cluster.jmx.multi-mbeans-in-same-jvm = on");
    static final Duration SWEEP = Duration.ofSeconds(90);
    static final ClusterCoordinator.SweepInfo INFO = new ClusterCoordinator.SweepInfo("fake", "build-1", "fake.yaml",
        "", "space-sha", "data-sha");

    @TempDir
    Path dir;

    /** What the coordinator and the workers print. */
    final List<String> console = new CopyOnWriteArrayList<>();
    final List<ActorSystem<Object>> workerSystems = new ArrayList<>();
    SweepRunner coordinator;

    record Worker(ActorSystem<Object> system, String name, CompletableFuture<WorkerNode.SessionEnd> ended) {
    }

    @AfterEach
    void shutDown() throws Exception {
        for (ActorSystem<Object> w : workerSystems) {
            w.terminate();
        }
        for (ActorSystem<Object> w : workerSystems) {
            w.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (coordinator != null) {
            coordinator.await(Duration.ofSeconds(1));
        }
    }

    /** A grid over {@code widths}, {@code epochs} epochs each, a checkpoint after every epoch. */
    static SweepPlan plan(Path root, int epochs, String widths) throws IOException {
        Files.createDirectories(root);
        Path file = Files.writeString(root.resolve("fake.yaml"), """
            name: fake
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: %d
            search:
              strategy: grid
              params:
                - width: %s
            execution: {max_concurrent_trials: 2, checkpoint_every: 1, keep_last: 2}
            """.formatted(epochs, widths));
        SearchSpace space = SearchSpaceLoader.load(file);
        return SweepPlan.fresh(space, TrialExpander.expand(space),
            SweepPaths.of("fake", root.resolve("logs"), root.resolve("ckpt")), "data-sha", 2);
    }

    /** The same sweep in one JVM without a cluster: what every cluster run must equal. */
    static Map<String, List<String>> localResults(Path root, int epochs, String widths) throws Exception {
        SweepPlan plan = plan(root, epochs, widths);
        SweepOutcome outcome = SweepRunner.run(plan, t -> new FakeTrainer(t, -1, 1), EarlyStopping.NONE, line -> { });
        assertTrue(outcome.ok(), outcome.error());
        return SweepProcess.results(plan.paths().logDir());
    }

    SweepRunner startCoordinator(SweepPlan plan, int port) {
        SweepRunner.Cluster cluster = new SweepRunner.Cluster(0,
            ClusterSettings.coordinator("127.0.0.1", port).withFallback(ONE_JVM),
            supervisor -> ClusterCoordinator.create(INFO, supervisor, console::add));
        coordinator = SweepRunner.start(plan, t -> {
            throw new AssertionError("no trial may run on the coordinator, with 0 local slots");
        }, EarlyStopping.NONE, console::add, cluster);
        return coordinator;
    }

    Worker startWorker(int coordinatorPort, WorkerSetup setup) {
        Config config = ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", coordinatorPort)
            .withFallback(ONE_JVM).withFallback(ConfigFactory.load());
        CompletableFuture<WorkerNode.SessionEnd> ended = new CompletableFuture<>();
        ActorSystem<Object> system = ActorSystem.create(WorkerNode.create(setup,
            dir.resolve("scratch-" + workerSystems.size()), console::add, ended::complete), ClusterSettings.SYSTEM,
            config);
        workerSystems.add(system);
        return new Worker(system, "127.0.0.1:" + system.address().getPort().orElseThrow(), ended);
    }

    /** Workers that accept any sweep and train with fake trainers, each epoch {@code epochMillis} long. */
    static WorkerSetup fakeTrainers(int slots, long epochMillis) {
        return hello -> new WorkerSetup.Accepted(t -> new FakeTrainer(t, -1, epochMillis), slots);
    }

    void awaitConsole(String text, Duration timeout) throws InterruptedException {
        awaitConsole(line -> line.contains(text), text, timeout);
    }

    void awaitConsole(Predicate<String> which, String what, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (console.stream().noneMatch(which)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no console line " + what + " within " + timeout + ":\n"
                    + String.join("\n", console));
            }
            Thread.sleep(20);
        }
    }

    static List<String> records(SweepPlan plan, String type) throws IOException {
        return Files.readAllLines(plan.paths().journal()).stream()
            .filter(l -> l.contains("\"type\":\"" + type + "\"")).toList();
    }

    static int freePort() throws IOException {
        return TwoSystemsTest.freePort();
    }

    @Test
    void everyTrialRunsOnTheWorkersAndTheResultsEqualALocalRun() throws Exception {
        String widths = "[8, 64, 16, 32]";
        int port = freePort();
        SweepPlan plan = plan(dir.resolve("cluster"), 3, widths);
        startCoordinator(plan, port);
        // Both say ready at about the same time, so that both get trials before one has done them all.
        CountDownLatch bothChecked = new CountDownLatch(2);
        WorkerSetup setup = hello -> {
            bothChecked.countDown();
            try {
                bothChecked.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fakeTrainers(1, 150).accept(hello);
        };
        Worker a = startWorker(port, setup);
        Worker b = startWorker(port, setup);

        SweepOutcome outcome = coordinator.await(SWEEP).orElseThrow(() -> new AssertionError("the sweep did not end"
            + " within " + SWEEP + ":\n" + String.join("\n", console)));

        assertTrue(outcome.ok(), outcome.error());
        assertEquals(Map.of(TrialStatus.COMPLETED, 4), outcome.trials());
        List<String> started = records(plan, "trial_started");
        assertEquals(4, started.size(), String.join("\n", started));
        for (String s : started) {
            assertTrue(s.contains("\"worker\":\"" + a.name() + "\",\"attempt\":1")
                || s.contains("\"worker\":\"" + b.name() + "\",\"attempt\":1"), s);
        }
        for (Worker w : List.of(a, b)) {
            assertTrue(started.stream().anyMatch(s -> s.contains("\"worker\":\"" + w.name() + "\"")),
                w.name() + " got no trial: " + String.join("\n", started));
            assertTrue(console.contains("worker " + w.name() + " joined with 1 slot(s)"), String.join("\n", console));
        }
        assertEquals(localResults(dir.resolve("local"), 3, widths), SweepProcess.results(plan.paths().logDir()));
    }

    @Test
    void aDownedWorkersTrialIsLostAndCompletesOnAnotherWorkerFromItsCheckpoint() throws Exception {
        String widths = "[8, 64]";
        int port = freePort();
        SweepPlan plan = plan(dir.resolve("cluster"), 5, widths);
        startCoordinator(plan, port);
        Worker doomed = startWorker(port, fakeTrainers(1, 800));
        awaitConsole("trial-0001 runs on worker " + doomed.name() + " (attempt 1, from the start)", SWEEP);
        Worker survivor = startWorker(port, fakeTrainers(1, 800));
        awaitConsole("trial-0002 runs on worker " + survivor.name(), SWEEP);
        long end = System.nanoTime() + SWEEP.toNanos();
        while (records(plan, "checkpoint").stream().noneMatch(l -> l.contains("\"trial\":\"trial-0001\""))
                || records(plan, "epoch").stream().noneMatch(l -> l.contains("\"trial\":\"trial-0001\",\"epoch\":2,"))) {
            assertTrue(System.nanoTime() < end, "trial-0001 has no checkpoint and second epoch in the journal");
            Thread.sleep(20);
        }
        // What the Split Brain Resolver does ~10 s after a worker died, done at once (from the
        // other worker) so that the test need not wait for failure detection: the worker is
        // downed, the coordinator sees its actors go, and the downed node shuts itself down.
        Cluster.get(survivor.system()).manager().tell(new Down(doomed.system().address()));

        SweepOutcome outcome = coordinator.await(SWEEP).orElseThrow(() -> new AssertionError("the sweep did not end"
            + " within " + SWEEP + ":\n" + String.join("\n", console)));

        assertTrue(outcome.ok(), outcome.error());
        assertEquals(Map.of(TrialStatus.COMPLETED, 2), outcome.trials());
        List<String> lost = records(plan, "trial_lost");
        assertEquals(1, lost.size(), String.join("\n", console));
        assertTrue(lost.get(0).contains("\"trial\":\"trial-0001\",\"attempt\":1,\"worker\":\"" + doomed.name() + "\""),
            lost.get(0));
        List<String> again = records(plan, "trial_started").stream()
            .filter(l -> l.contains("\"trial\":\"trial-0001\"") && l.contains("\"attempt\":2")).toList();
        assertEquals(1, again.size(), String.join("\n", records(plan, "trial_started")));
        assertTrue(again.get(0).contains("\"worker\":\"" + survivor.name() + "\""), again.get(0));
        assertTrue(again.get(0).matches(".*\"checkpoint\":\"[^\"]*epoch-000[1-5][^\"]*\\.ckpt\".*"),
            "attempt 2 did not start from a checkpoint: " + again.get(0));
        assertEquals(localResults(dir.resolve("local"), 5, widths), SweepProcess.results(plan.paths().logDir()));
        doomed.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aWorkerThatCannotTakePartIsRefusedAndBothEndsSayWhy() throws Exception {
        int port = freePort();
        SweepPlan plan = plan(dir.resolve("cluster"), 1, "[8]");
        startCoordinator(plan, port);
        Worker refused = startWorker(port, hello -> {
            throw new WorkerSetup.Refusal("its data differ: sha256 abc on this machine, " + hello.dataSha()
                + " on the coordinator");
        });

        WorkerNode.SessionEnd end = refused.ended().get(SWEEP.toSeconds(), TimeUnit.SECONDS);
        assertEquals(new WorkerNode.SessionEnd.Refused("its data differ: sha256 abc on this machine, data-sha on the"
            + " coordinator"), end);
        awaitConsole("worker " + refused.name() + " refused: its data differ: sha256 abc", Duration.ofSeconds(10));
        refused.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        coordinator.interrupt();
        SweepOutcome outcome = coordinator.await(Duration.ofSeconds(30)).orElseThrow();
        assertTrue(outcome.interrupted());
        assertEquals(List.of(), records(plan, "trial_started"), "a trial was given to the refused worker");
    }
}
