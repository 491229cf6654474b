package dev.hpsweep.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Behaviors;
import dev.hpsweep.actors.SweepSupervisor.SweepOutcome;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.Decision;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.TrialExpander;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.TrainerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepSupervisorTest {
    /** application.conf, not the test kit's default application-test.conf: the dispatchers are defined there. */
    static final ActorTestKit testKit = ActorTestKit.create(com.typesafe.config.ConfigFactory.load());

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void reset() {
        FakeTrainer.resetCounters();
    }

    static SweepPlan plan(Path dir, int concurrency, int epochs) throws IOException {
        return plan(dir, concurrency, epochs, "[8, 64, 16, 32, 4]");
    }

    /** A grid over {@code widths} (a YAML list), one trial per width. */
    static SweepPlan plan(Path dir, int concurrency, int epochs, String widths) throws IOException {
        Path file = dir.resolve("fake.yaml");
        Files.writeString(file, """
            name: fake
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: %d
            search:
              strategy: grid
              params:
                - width: %s
            """.formatted(epochs, widths));
        SearchSpace space = SearchSpaceLoader.load(file);
        List<TrialSpec> trials = TrialExpander.expand(space);
        return SweepPlan.fresh(space, trials, SweepPaths.of("fake", dir.resolve("logs"), dir.resolve("ckpt")),
            "data-sha", concurrency);
    }

    private SweepOutcome run(SweepPlan plan, TrainerFactory factory, EarlyStopping stopping) {
        TestProbe<SweepOutcome> probe = testKit.createTestProbe();
        testKit.spawn(SweepSupervisor.create(plan, factory, stopping, line -> { }, probe.getRef()));
        return probe.expectMessageClass(SweepOutcome.class, Duration.ofSeconds(30));
    }

    @Test
    void runsEveryTrialToCompletionWithAtMostConcurrencyTrialsAtOnce() throws IOException {
        SweepPlan plan = plan(dir, 2, 3);
        SweepOutcome outcome = run(plan, t -> new FakeTrainer(t, -1, 20), EarlyStopping.NONE);

        assertTrue(outcome.ok());
        assertEquals(5, outcome.count(TrialStatus.COMPLETED));
        assertTrue(FakeTrainer.MAX_RUNNING.get() <= 2, "max concurrent epochs " + FakeTrainer.MAX_RUNNING.get());
        assertEquals(2, FakeTrainer.MAX_RUNNING.get(), "two trials should have overlapped");
        for (TrialSpec t : plan.trials()) {
            assertEquals(3, Files.readAllLines(plan.paths().trialMetrics(t.id())).size(), t.id());
        }
    }

    @Test
    void leaderboardCsvRanksTrialsByBestObjective() throws IOException {
        SweepPlan plan = plan(dir, 2, 2);
        run(plan, t -> new FakeTrainer(t, -1, 1), EarlyStopping.NONE);

        List<String> csv = Files.readAllLines(plan.paths().leaderboardCsv());
        List<String> order = csv.stream().skip(1).map(l -> l.split(",")[1]).toList();
        // widths 8, 64, 16, 32, 4 -> trial-0002 (64) first, trial-0005 (4) last
        assertEquals(List.of("trial-0002", "trial-0004", "trial-0003", "trial-0001", "trial-0005"), order);
        String log = Files.readString(plan.paths().leaderboardLog());
        assertTrue(log.lines().reduce((a, b) -> b).orElseThrow().startsWith("=== sweep ended: fake"), log);
        assertEquals(10, log.lines().filter(l -> l.contains("  epoch ")).count(), log);
    }

    @Test
    void aFailingTrialFailsAloneAndTheSweepGoesOn() throws IOException {
        SweepPlan plan = plan(dir, 2, 3);
        String doomed = plan.trials().get(1).id();
        SweepOutcome outcome = run(plan, t -> new FakeTrainer(t, t.id().equals(doomed) ? 2 : -1, 1),
            EarlyStopping.NONE);

        assertEquals(1, outcome.count(TrialStatus.FAILED));
        assertEquals(4, outcome.count(TrialStatus.COMPLETED));
        String journal = Files.readString(plan.paths().journal());
        assertTrue(journal.contains("\"status\":\"FAILED\",\"reason\":\"epoch 2: TrainingFailedException: non-finite"),
            journal);
        assertEquals(1, Files.readAllLines(plan.paths().trialMetrics(doomed)).size());
    }

    @Test
    void aTrainerThatCannotBeBuiltFailsItsTrialWithTheReason() throws IOException {
        SweepPlan plan = plan(dir, 2, 1);
        SweepOutcome outcome = run(plan, t -> {
            throw new OutOfMemoryError("Cannot allocate new FloatPointer");
        }, EarlyStopping.NONE);

        assertEquals(5, outcome.count(TrialStatus.FAILED));
        assertTrue(Files.readString(plan.paths().leaderboardLog()).contains("could not build the model: out of memory (OutOfMemoryError"));
    }

    @Test
    void theEarlyStoppingDecisionStopsATrialAndIsRecordedWithItsReason() throws IOException {
        SweepPlan plan = plan(dir, 1, 4);
        String victim = plan.trials().get(0).id();
        EarlyStopping stopAtTwo = (trial, epoch, value, metrics) ->
            trial.equals(victim) && epoch == 2 ? Decision.stop("scripted stop") : Decision.CONTINUE;
        SweepOutcome outcome = run(plan, t -> new FakeTrainer(t, -1, 1), stopAtTwo);

        assertEquals(1, outcome.count(TrialStatus.STOPPED));
        assertEquals(2, Files.readAllLines(plan.paths().trialMetrics(victim)).size());
        assertTrue(Files.readString(plan.paths().leaderboardLog()).contains(victim + " stopped at epoch 2: scripted stop"));
    }

    @Test
    void aTrialRunsOneEpochAtATimeAndWaitsForTheDecision() throws IOException {
        SweepPlan plan = plan(dir, 1, 3);
        TrialSpec trial = plan.trials().get(0);
        TestProbe<MetricsAggregator.Command> aggregator = testKit.createTestProbe();
        TestProbe<SweepSupervisor.Command> supervisor = testKit.createTestProbe();
        testKit.spawn(TrialActor.create(TrialRun.fresh(trial), t -> new FakeTrainer(t, -1, 1), Runnable::run,
            new TrialActor.CheckpointPolicy(0, 1, dir.resolve("ckpt")), null, aggregator.getRef(), supervisor.getRef()));

        for (int epoch = 1; epoch <= 3; epoch++) {
            MetricsAggregator.EpochFinished msg = aggregator.expectMessageClass(MetricsAggregator.EpochFinished.class);
            assertEquals(epoch, msg.metrics().epoch());
            aggregator.expectNoMessage(Duration.ofMillis(100));
            msg.replyTo().tell(Decision.CONTINUE);
        }
        aggregator.expectMessageClass(MetricsAggregator.CheckpointWritten.class);
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertEquals(epoch, supervisor.expectMessageClass(SweepSupervisor.EpochReported.class).metrics().epoch());
        }
        SweepSupervisor.TrialEnded ended = supervisor.expectMessageClass(SweepSupervisor.TrialEnded.class);
        assertEquals(TrialStatus.COMPLETED, ended.status());
    }

    @Test
    void anInterruptedSweepCheckpointsItsRunningTrialsAndEndsThemInterrupted() throws IOException {
        SweepPlan plan = plan(dir, 2, 50);
        TestProbe<SweepOutcome> probe = testKit.createTestProbe();
        var supervisor = testKit.spawn(SweepSupervisor.create(plan, t -> new FakeTrainer(t, -1, 40),
            EarlyStopping.NONE, line -> { }, probe.getRef()));
        probe.expectNoMessage(Duration.ofMillis(300));
        supervisor.tell(SweepSupervisor.Interrupt.INSTANCE);
        SweepOutcome outcome = probe.expectMessageClass(SweepOutcome.class, Duration.ofSeconds(10));

        assertTrue(outcome.interrupted());
        assertEquals(2, outcome.count(TrialStatus.INTERRUPTED));
        String journal = Files.readString(plan.paths().journal());
        assertTrue(journal.contains("\"type\":\"sweep_interrupted\""), journal);
        assertEquals(2, journal.lines().filter(l -> l.contains("\"type\":\"checkpoint\"")).count(), journal);
        assertTrue(journal.lines().noneMatch(l -> l.contains("trial-0003")), "a pending trial was started: " + journal);
        assertTrue(Files.readString(plan.paths().leaderboardLog()).contains("=== sweep interrupted: fake"));
    }

    @Test
    void theProgressLineCountsPlannedEpochsBeyondTwoToThe31() throws IOException {
        SweepPlan plan = plan(dir, 1, Integer.MAX_VALUE);
        EarlyStopping stopAtOne = (trial, epoch, value, metrics) -> Decision.stop("scripted stop");
        List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();
        TestProbe<SweepOutcome> probe = testKit.createTestProbe();
        testKit.spawn(SweepSupervisor.create(plan, t -> new FakeTrainer(t, -1, 1), stopAtOne, console::add,
            probe.getRef()));
        probe.expectMessageClass(SweepOutcome.class, Duration.ofSeconds(30));

        String first = console.stream().filter(l -> l.contains("| epochs ")).findFirst().orElseThrow();
        assertTrue(first.contains("| epochs 1/" + 5L * Integer.MAX_VALUE + " |"), first);
    }

    @Test
    void aResumedSweepRunsOnlyItsQueueAndCountsTheEarlierEpochsOnce() throws IOException {
        SweepPlan first = plan(dir, 2, 3);
        run(first, t -> new FakeTrainer(t, t.index() == 0 ? 2 : -1, 1), EarlyStopping.NONE);
        var contents = dev.hpsweep.journal.JournalReader.read(first.paths().journal());
        var history = dev.hpsweep.journal.ResumePlanner.history(contents);
        TrialSpec failed = first.trials().get(0);
        SweepPlan resumed = new SweepPlan(first.space(), first.trials(), List.of(TrialRun.fresh(failed)), history,
            first.paths(), "data-sha", 2);
        SweepOutcome outcome = run(resumed, t -> new FakeTrainer(t, -1, 1), EarlyStopping.NONE);

        assertEquals(1, outcome.count(TrialStatus.COMPLETED));
        assertEquals(3, Files.readAllLines(first.paths().trialMetrics(failed.id())).size());
        List<String> csv = Files.readAllLines(first.paths().leaderboardCsv());
        assertEquals(6, csv.size());
        assertTrue(csv.stream().skip(1).allMatch(l -> l.contains(",COMPLETED,3,3,")), String.join("\n", csv));
        String journal = Files.readString(first.paths().journal());
        assertTrue(journal.contains("\"type\":\"trial_rewound\",") && journal.contains("\"to_epoch\":0"), journal);
    }

    /**
     * A worker whose first attempt reports epoch 1, is told to stop, ships its checkpoint, and is
     * lost before its end arrives (as while shipping its model); a later attempt reports how it was
     * asked to go on and ends STOPPED.
     */
    private static TrialHost stoppedThenLost(List<TrialRun> launched) {
        return launch -> Behaviors.setup(ctx -> {
            launched.add(launch.run());
            String id = launch.run().trial().id();
            if (launch.attempt() > 1) {
                launch.supervisor().tell(new SweepSupervisor.TrialEnded(id, TrialStatus.STOPPED, "again"));
                return Behaviors.stopped();
            }
            akka.actor.typed.ActorRef<Decision> decisions = ctx.messageAdapter(Decision.class, d -> d);
            launch.aggregator().tell(new MetricsAggregator.EpochFinished(new dev.hpsweep.journal.EpochMetrics(id, 1,
                launch.run().trial().epochs(), java.util.Map.of("val_accuracy", 0.5), 1, 10, 0.1, 0L, java.util.Map.of()),
                decisions));
            return Behaviors.receiveMessage(decision -> {
                Path file = new dev.hpsweep.train.CheckpointStore(launch.policy().dir(), 2).write(
                    new dev.hpsweep.train.CheckpointStore.Position(1, 0),
                    new FakeTrainer(launch.run().trial(), 0, 0), "{}");
                launch.aggregator().tell(new MetricsAggregator.CheckpointWritten(id, 1, 0, file.toString()));
                launch.supervisor().tell(new SweepSupervisor.TrialLost(id, launch.attempt(), true, "worker vanished"));
                return Behaviors.stopped();
            });
        });
    }

    @Test
    void aTrialLostAfterItsStopDecisionOnlyEndsStoppedOnItsNextAttemptTrainingNoMoreEpochs() throws IOException {
        SweepPlan plan = plan(dir, 1, 5, "[8]");
        TestProbe<SweepOutcome> probe = testKit.createTestProbe();
        EarlyStopping stopAtOnce = (trial, epoch, objective, metrics) -> Decision.stop("no better than the median");
        var supervisor = testKit.spawn(SweepSupervisor.create(plan, t -> {
            throw new AssertionError("no trial may run on the coordinator");
        }, stopAtOnce, line -> { }, probe.getRef(), 0, true));
        List<TrialRun> launched = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        supervisor.tell(new SweepSupervisor.WorkerJoined("id-1", "worker-1", 1, stoppedThenLost(launched)));
        supervisor.tell(new SweepSupervisor.WorkerJoined("id-2", "worker-2", 1, stoppedThenLost(launched)));
        SweepOutcome outcome = probe.expectMessageClass(SweepOutcome.class, Duration.ofSeconds(30));

        assertEquals(java.util.Map.of(TrialStatus.STOPPED, 1), outcome.trials());
        assertEquals(2, launched.size(), launched.toString());
        TrialRun again = launched.get(1);
        assertEquals(1, again.epochsDone());
        assertEquals("no better than the median", again.stopReason(), "the second attempt must only end, not train");
        List<String> journal = Files.readAllLines(plan.paths().journal());
        assertEquals(1, journal.stream().filter(l -> l.contains("\"type\":\"epoch\"")).count(), String.join("\n", journal));
    }

    /** A worker that hands every trial placed on it back at once, as one stopped with SIGTERM would. */
    private static TrialHost handingEveryTrialBack() {
        return launch -> Behaviors.setup(ctx -> {
            launch.supervisor().tell(new SweepSupervisor.TrialLost(launch.run().trial().id(), launch.attempt(), false,
                "worker leaving"));
            return Behaviors.stopped();
        });
    }

    @Test
    void aHandedBackAttemptBreaksTheSeriesOfLosses() throws IOException {
        SweepPlan plan = plan(dir, 1, 2, "[8]");
        TestProbe<SweepOutcome> probe = testKit.createTestProbe();
        var supervisor = testKit.spawn(SweepSupervisor.create(plan, t -> {
            throw new AssertionError("no trial may run on the coordinator");
        }, EarlyStopping.NONE, line -> { }, probe.getRef(), 0, true));
        // lost, handed back, then lost MAX_LOSSES times: only the last MAX_LOSSES are in a row.
        supervisor.tell(new SweepSupervisor.WorkerJoined("id-1", "worker-1", 1, losingEveryTrial()));
        supervisor.tell(new SweepSupervisor.WorkerJoined("id-2", "worker-2", 1, handingEveryTrialBack()));
        for (int w = 3; w <= SweepSupervisor.MAX_LOSSES + 3; w++) {
            supervisor.tell(new SweepSupervisor.WorkerJoined("id-" + w, "worker-" + w, 1, losingEveryTrial()));
        }
        SweepOutcome outcome = probe.expectMessageClass(SweepOutcome.class, Duration.ofSeconds(30));

        assertEquals(java.util.Map.of(TrialStatus.FAILED, 1), outcome.trials());
        List<String> journal = Files.readAllLines(plan.paths().journal());
        assertEquals(SweepSupervisor.MAX_LOSSES + 1,
            journal.stream().filter(l -> l.contains("\"type\":\"trial_lost\"")).count(), String.join("\n", journal));
        assertEquals(1, journal.stream().filter(l -> l.contains("\"type\":\"trial_returned\"")).count());
        assertEquals(SweepSupervisor.MAX_LOSSES + 2,
            journal.stream().filter(l -> l.contains("\"type\":\"trial_started\"")).count(), "attempts started");
        assertTrue(journal.stream().noneMatch(l -> l.contains("worker-" + (SweepSupervisor.MAX_LOSSES + 3))),
            "an attempt after the third loss in a row: " + String.join("\n", journal));
    }

    /** A worker that loses every trial placed on it at once, as a worker killed mid-trial would. */
    private static TrialHost losingEveryTrial() {
        return launch -> Behaviors.setup(ctx -> {
            launch.supervisor().tell(new SweepSupervisor.TrialLost(launch.run().trial().id(), launch.attempt(), true,
                "worker vanished"));
            return Behaviors.stopped();
        });
    }

    @Test
    void aTrialLostWithMaxLossesWorkersInARowEndsFailedSayingSoAndTheSweepEnds() throws IOException {
        SweepPlan plan = plan(dir, 1, 2, "[8]");
        TestProbe<SweepOutcome> probe = testKit.createTestProbe();
        var supervisor = testKit.spawn(SweepSupervisor.create(plan, t -> {
            throw new AssertionError("no trial may run on the coordinator");
        }, EarlyStopping.NONE, line -> { }, probe.getRef(), 0, true));
        // Each loss takes its worker out of the sweep: the next attempt needs the next worker.
        for (int w = 1; w <= SweepSupervisor.MAX_LOSSES + 1; w++) {
            supervisor.tell(new SweepSupervisor.WorkerJoined("id-" + w, "worker-" + w, 1, losingEveryTrial()));
        }
        SweepOutcome outcome = probe.expectMessageClass(SweepOutcome.class, Duration.ofSeconds(30));

        assertTrue(outcome.ok(), outcome.error());
        assertEquals(java.util.Map.of(TrialStatus.FAILED, 1), outcome.trials());
        List<String> journal = Files.readAllLines(plan.paths().journal());
        List<String> lost = journal.stream().filter(l -> l.contains("\"type\":\"trial_lost\"")).toList();
        assertEquals(SweepSupervisor.MAX_LOSSES, lost.size(), String.join("\n", journal));
        for (int attempt = 1; attempt <= SweepSupervisor.MAX_LOSSES; attempt++) {
            String line = lost.get(attempt - 1);
            assertTrue(line.contains("\"attempt\":" + attempt + ",\"worker\":\"worker-" + attempt + "\""), line);
        }
        assertEquals(SweepSupervisor.MAX_LOSSES,
            journal.stream().filter(l -> l.contains("\"type\":\"trial_started\"")).count(), "attempts started");
        assertTrue(journal.stream().noneMatch(l -> l.contains("worker-" + (SweepSupervisor.MAX_LOSSES + 1))),
            "a fourth attempt ran: " + String.join("\n", journal));
        String finished = journal.stream().filter(l -> l.contains("\"type\":\"trial_finished\"")).findFirst()
            .orElseThrow();
        assertTrue(finished.contains("\"status\":\"FAILED\",\"reason\":\"lost with " + SweepSupervisor.MAX_LOSSES
            + " workers in a row, the last: worker vanished\""), finished);
    }
}
