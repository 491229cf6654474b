package dev.hpsweep.cli;

import static dev.hpsweep.cli.CliTest.hpsweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.cli.CliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-trial, one-epoch sweeps run in-process, each with a fault around it. */
class RunFaultsTest {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @TempDir
    Path dir;

    private Result run(String name, String execution, String... more) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, PathErrorsTest.SPACE.formatted(name) + "execution: " + execution + "\n");
        List<String> args = new java.util.ArrayList<>(List.of("run", file.toString(),
            "--logs", dir.resolve("logs").toString(), "--checkpoints", dir.resolve("checkpoints").toString()));
        args.addAll(List.of(more));
        return hpsweep(args.toArray(String[]::new));
    }

    @Test
    void runFreshPicksAFreeNameWhenThisSecondsPreviousNameIsTaken() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(logs.resolve("again"));
        Files.writeString(logs.resolve("again/journal.jsonl"), "the first run's journal\n");
        // Whatever second the run moves its results aside in, that name is already taken.
        LocalDateTime now = LocalDateTime.now();
        for (int s = -5; s <= 120; s++) {
            Files.createDirectories(logs.resolve("again.previous-" + now.plusSeconds(s).format(STAMP)));
        }

        Result r = run("again", "{max_concurrent_trials: 1}", "--fresh");

        assertEquals(0, r.code(), r.err());
        try (var moved = Files.list(logs)) {
            List<Path> kept = moved.filter(d -> Files.exists(d.resolve("journal.jsonl"))
                && !d.getFileName().toString().equals("again")).toList();
            assertEquals(1, kept.size(), kept.toString());
            assertTrue(kept.get(0).getFileName().toString().matches("again\\.previous-\\d{8}-\\d{6}-2"), kept.toString());
            assertEquals("the first run's journal\n", Files.readString(kept.get(0).resolve("journal.jsonl")));
        }
        assertTrue(Files.readString(logs.resolve("again/leaderboard.log")).contains("=== sweep ended: again"));
    }

    @Test
    void moveAsideCountsOnUntilTheNameIsFreeForBothLogsAndCheckpoints() throws Exception {
        var paths = dev.hpsweep.journal.SweepPaths.of("s", dir.resolve("logs"), dir.resolve("ckpt"));
        Files.createDirectories(paths.logDir());
        Files.createDirectories(paths.checkpointDir());
        LocalDateTime then = LocalDateTime.of(2026, 12, 1, 12, 0, 0);
        Files.createDirectories(dir.resolve("logs/s.previous-20261201-120000"));
        Files.createDirectories(dir.resolve("ckpt/s.previous-20261201-120000-2"));

        assertEquals(".previous-20261201-120000-3", RunCommand.moveAside(paths, then));

        assertTrue(Files.isDirectory(dir.resolve("logs/s.previous-20261201-120000-3")));
        assertTrue(Files.isDirectory(dir.resolve("ckpt/s.previous-20261201-120000-3")));
        assertFalse(Files.exists(paths.logDir()));
    }

    @Test
    void moreNativeThreadsThanCoresIsSaidOnceWithTheNumbers() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();

        Result r = run("crowded", "{max_concurrent_trials: 1, threads_per_trial: " + (cores + 1) + "}");

        assertEquals(0, r.code(), r.err());
        String warning = "hpsweep: warning: 1 trials at a time x " + (cores + 1) + " native threads each = " + (cores + 1)
            + " threads, but this machine has " + cores + " cores";
        assertEquals(1, r.err().lines().filter(l -> l.startsWith(warning)).count(), r.err());
    }

    @Test
    void aSweepThatFitsTheCoresIsNotWarnedAbout() throws Exception {
        Result r = run("roomy", "{max_concurrent_trials: 1, threads_per_trial: 1}");

        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
    }

    @Test
    void resultsAndTheReportHaveTheModeOfTheJournalNotTheTempFiles0600() throws Exception {
        assertEquals(0, run("modes", "{max_concurrent_trials: 1}").code());
        Result report = hpsweep("report", "modes", "--logs", dir.resolve("logs").toString(), "--maps", "none");
        assertEquals(0, report.code(), report.err());

        Path logs = dir.resolve("logs/modes");
        String journal = mode(logs.resolve("journal.jsonl"));
        for (String file : List.of("leaderboard.log", "leaderboard.csv", "provenance.json", "trials/trial-0001/trial.json",
            "trials/trial-0001/metrics.jsonl", "trials/trial-0001/model.zip", "report/report.html")) {
            assertEquals(journal, mode(logs.resolve(file)), file);
        }
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
