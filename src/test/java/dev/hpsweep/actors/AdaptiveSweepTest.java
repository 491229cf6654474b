package dev.hpsweep.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.hpsweep.actors.SweepSupervisor.SweepOutcome;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.schedule.EarlyStoppingRules;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.TrialExpander;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps whose trials are proposed as they go (TPE), stopped early (ASHA) or cut by a time budget; fake trainers. */
class AdaptiveSweepTest {
    static final ActorTestKit testKit = ActorTestKit.create(com.typesafe.config.ConfigFactory.load());

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private SweepPlan plan(String search, String earlyStopping, int concurrency) throws IOException {
        Path file = dir.resolve("adaptive.yaml");
        Files.writeString(file, """
            name: adaptive
            seed: 3
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: 4
            search: %s
            early_stopping: %s
            """.formatted(search, earlyStopping));
        SearchSpace space = SearchSpaceLoader.load(file);
        return SweepPlan.fresh(space, TrialExpander.expand(space),
            SweepPaths.of("adaptive", dir.resolve("logs"), dir.resolve("ckpt")), "data-sha", concurrency);
    }

    private static SweepOutcome run(SweepPlan plan, long sleepMillis) {
        EarlyStopping rule = EarlyStoppingRules.create(plan.space().earlyStopping(), plan.space().objective());
        TestProbe<SweepOutcome> probe = testKit.createTestProbe();
        testKit.spawn(SweepSupervisor.create(plan, t -> new FakeTrainer(t, -1, sleepMillis), rule, line -> { },
            probe.getRef()));
        return probe.expectMessageClass(SweepOutcome.class, Duration.ofSeconds(30));
    }

    @Test
    void aTpeSweepRunsMaxTrialsAndRanksTheProposedTrialsToo() throws IOException {
        SweepPlan plan = plan("{strategy: tpe, max_trials: 6, n_startup_trials: 2, params: {width: {int: [4, 64]}}}",
            "{type: none}", 2);
        assertEquals(2, plan.trials().size());
        assertEquals(6, plan.plannedTrials());

        SweepOutcome outcome = run(plan, 1);

        assertEquals(6, outcome.count(TrialStatus.COMPLETED));
        List<String> csv = Files.readAllLines(plan.paths().leaderboardCsv());
        assertEquals(7, csv.size(), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.contains(",trial-0006,COMPLETED,4,4,")), String.join("\n", csv));
        String log = Files.readString(plan.paths().leaderboardLog());
        assertTrue(log.contains("(6 of 6 trials finished)"), log);
        assertTrue(log.contains("=== sweep ended: adaptive, 6 trials (6 completed)"), log);
    }

    @Test
    void ashaStopsATrialBelowTheTopOfItsRungAndSaysWhyInTheLogAndJournal() throws IOException {
        // Widths in trial order 8, 64, 16, 32, 4: the fake trainer's accuracy is width / 100 + epoch / 1000.
        SweepPlan plan = plan("{strategy: grid, params: {width: [8, 64, 16, 32, 4]}}",
            "[{type: divergence}, {type: asha, grace_period: 1, reduction_factor: 2}]", 1);

        SweepOutcome outcome = run(plan, 1);

        assertEquals(1, outcome.count(TrialStatus.STOPPED));
        assertEquals(4, outcome.count(TrialStatus.COMPLETED));
        String log = Files.readString(plan.paths().leaderboardLog());
        assertTrue(log.contains("trial-0005 stopped at epoch 1: asha rung 1, rank 5 of 5 (val_accuracy 0.0410); "
            + "only the top 3 go on"), log);
        assertTrue(log.contains("trial-0003 goes on after epoch 2: asha rung 2, rank 2 of 3"), log);
        String journal = Files.readString(plan.paths().journal());
        assertTrue(journal.lines().anyMatch(l -> l.contains("\"type\":\"decision\"") && l.contains(
            "\"trial\":\"trial-0005\",\"epoch\":1,\"stop\":true,\"reason\":\"asha rung 1, rank 5 of 5")), "journal");
        List<String> csv = Files.readAllLines(plan.paths().leaderboardCsv());
        assertTrue(csv.stream().anyMatch(l -> l.contains(",trial-0005,STOPPED,1,4,")), String.join("\n", csv));
    }

    @Test
    void noTrialStartsOnceTheTimeBudgetIsSpent() throws IOException {
        // One trial at a time, 4 epochs of 400 ms each: the budget of 1 s is spent while the first runs.
        SweepPlan plan = plan("{strategy: grid, time_budget: 1, params: {width: [8, 64, 16]}}", "{type: none}", 1);

        SweepOutcome outcome = run(plan, 400);

        assertEquals(1, outcome.count(TrialStatus.COMPLETED));
        assertEquals(1, outcome.trials().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(Files.readString(plan.paths().leaderboardLog()).contains("=== sweep ended: adaptive, 1 trials"));
    }

    @Test
    void anInterruptedTpeSweepResumesItsProposedTrialsAndProposesOnToMaxTrials() throws IOException {
        SweepPlan plan = plan("{strategy: tpe, max_trials: 6, n_startup_trials: 2, params: {width: {int: [4, 64]}}}",
            "{type: none}", 2);
        TestProbe<SweepOutcome> probe = testKit.createTestProbe();
        var supervisor = testKit.spawn(SweepSupervisor.create(plan, t -> new FakeTrainer(t, -1, 60),
            EarlyStopping.NONE, line -> { }, probe.getRef()));
        // Let the startup trials end and a proposed one start, then interrupt.
        probe.expectNoMessage(Duration.ofMillis(700));
        supervisor.tell(SweepSupervisor.Interrupt.INSTANCE);
        assertTrue(probe.expectMessageClass(SweepOutcome.class, Duration.ofSeconds(10)).interrupted());

        var history = dev.hpsweep.journal.ResumePlanner.history(
            dev.hpsweep.journal.JournalReader.read(plan.paths().journal()));
        List<TrialRun> unfinished = history.startedTrials().stream()
            .filter(t -> !history.outcomes().containsKey(t.id())
                || history.outcomes().get(t.id()).status() == TrialStatus.INTERRUPTED)
            .map(TrialRun::fresh).toList();
        assertTrue(history.startedTrials().size() >= 3, "a proposed trial should have started: " + history.started());
        SweepPlan resumed = new SweepPlan(plan.space(), plan.trials(), unfinished, history, plan.paths(), "data-sha", 2);
        SweepOutcome outcome = run(resumed, 1);

        assertTrue(outcome.ok());
        List<String> csv = Files.readAllLines(plan.paths().leaderboardCsv());
        assertEquals(7, csv.size(), String.join("\n", csv));
        assertTrue(csv.stream().skip(1).allMatch(l -> l.contains(",COMPLETED,4,4,")), String.join("\n", csv));
        for (var t : history.startedTrials()) {
            // A trial proposed before the interruption keeps its parameters.
            assertTrue(csv.stream().anyMatch(l -> l.contains("," + t.id() + ",") && l.contains(
                ",4,4,") && l.contains("," + t.params().get("width") + ",")), t.id() + " " + String.join("\n", csv));
            assertEquals(4, Files.readAllLines(plan.paths().trialMetrics(t.id())).size(), t.id());
        }
    }
}
