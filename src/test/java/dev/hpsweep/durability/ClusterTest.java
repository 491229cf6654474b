package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator ({@code run --cluster 127.0.0.1:PORT --local-slots 0}) and worker JVMs
 * ({@code worker --join}) on this machine's loopback, each in a directory of its own. The
 * reference is the same sweep run once in one JVM: whatever happens to the workers, every trial's
 * metrics.jsonl and the leaderboard.csv (timings aside) must equal it, bit for bit.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterTest {
    /**
     * 3 trials x 6 epochs, a checkpoint every 2: a worker killed after an odd epoch loses one. Batches of
     * 256 keep a trial at a few seconds, so that what the tests wait for happens before the sweep ends.
     */
    static final String SPACE = """
        name: clustered
        seed: 7
        dataset: {name: europe-cities}
        model: {type: mlp}
        objective: {metric: val_accuracy, mode: max}
        epochs: 6
        fixed: {batch_size: 256, depth: 1, width: 8}
        search: {strategy: grid, params: [{lr: [0.01, 0.02, 0.03]}]}
        execution: {max_concurrent_trials: 2, threads_per_trial: 1, checkpoint_every: 2, keep_last: 2}
        """;
    /**
     * For the late-join test: 8 trials, so that the sweep outlasts a worker JVM's start and join on two
     * busy cores (with SPACE's 3, the sweep once ended first, and once had dispatched its last trial).
     */
    static final String LONG_SPACE = SPACE.replace("[0.01, 0.02, 0.03]",
        "[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08]");
    static final String FILE = "clustered.yaml";
    /** How long a whole sweep may take here (a few tens of seconds on two busy cores). */
    static final long SWEEP_MILLIS = 180_000;

    @TempDir
    static Path baselineDir;
    static TreeMap<String, List<String>> baseline;

    @TempDir
    Path dir;

    final List<Process> children = new ArrayList<>();

    record Worker(Process process, String name, Path log) {
    }

    @BeforeAll
    static void runInOneJvm() throws Exception {
        Files.writeString(baselineDir.resolve(FILE), SPACE);
        DurabilityTest.Result r = DurabilityTest.hpsweep(baselineDir, "run", FILE);
        assertEquals(0, r.code(), r.out() + r.err());
        baseline = SweepProcess.results(baselineDir.resolve("logs/clustered"));
        assertEquals(4, baseline.size());
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
        }
        for (Process p : children) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Path coordinatorDir() throws IOException {
        Path c = Files.createDirectories(dir.resolve("coordinator"));
        if (!Files.exists(c.resolve(FILE))) {
            Files.writeString(c.resolve(FILE), SPACE);
        }
        return c;
    }

    /** The results of {@code space} run in one JVM, in dir/label. */
    private TreeMap<String, List<String>> oneJvmResults(String label, String space) throws Exception {
        Path d = Files.createDirectories(dir.resolve(label));
        Files.writeString(d.resolve(FILE), space);
        DurabilityTest.Result r = DurabilityTest.hpsweep(d, "run", FILE);
        assertEquals(0, r.code(), r.out() + r.err());
        return SweepProcess.results(d.resolve("logs/clustered"));
    }

    private Path journal() {
        return dir.resolve("coordinator/logs/clustered/journal.jsonl");
    }

    private Path coordinatorLog() {
        return dir.resolve("coordinator/coordinator.log");
    }

    /** {@code run clustered.yaml --cluster 127.0.0.1:port}, in dir/coordinator. */
    private Process coordinator(int port, int localSlots) throws IOException {
        Process p = SweepProcess.start(coordinatorDir(), "coordinator.log", "run", FILE, "--cluster",
            "127.0.0.1:" + port, "--local-slots", Integer.toString(localSlots));
        children.add(p);
        return p;
    }

    /** {@code worker --join 127.0.0.1:coordinatorPort --slots 1} on a port of its own, in dir/label. */
    private Worker worker(String label, int coordinatorPort) throws IOException {
        Path wd = Files.createDirectories(dir.resolve(label));
        int port = freePort();
        Process p = SweepProcess.start(wd, "worker.log", "worker", "--join", "127.0.0.1:" + coordinatorPort,
            "--slots", "1", "--bind", "127.0.0.1", "--port", Integer.toString(port), "--scratch",
            wd.resolve("scratch").toString());
        children.add(p);
        return new Worker(p, "127.0.0.1:" + port, wd.resolve("worker.log"));
    }

    /** A coordinator ({@code --local-slots 0}) and two workers; {@code victim} is the one trial-0001 started on. */
    record TwoWorkers(Process coordinator, Worker a, Worker b, JsonNode first, Worker victim, Worker other) {
    }

    private TwoWorkers startWithTwoWorkers() throws Exception {
        int port = freePort();
        Process c = coordinator(port, 0);
        Worker a = worker("worker-a", port);
        Worker b = worker("worker-b", port);
        JsonNode first = SweepProcess.awaitRecord(c, journal(), "trial_started", r -> isTrial(r, "trial-0001"),
            "trial-0001", SWEEP_MILLIS);
        Worker victim = first.path("worker").asText().equals(a.name()) ? a : b;
        return new TwoWorkers(c, a, b, first, victim, victim == a ? b : a);
    }

    /** Waits for {@code p} to end by itself and returns its exit code. */
    private static int exitCode(Process p, Path log, long timeoutMillis) throws Exception {
        if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("did not end within " + timeoutMillis + " ms: " + Files.readString(log));
        }
        return p.exitValue();
    }

    private static boolean isTrial(JsonNode r, String trial) {
        return r.path("trial").asText().equals(trial);
    }

    private static boolean isEpoch(JsonNode r, String trial, int epoch) {
        return r.path("metrics").path("trial").asText().equals(trial) && r.path("metrics").path("epoch").asInt() == epoch;
    }

    private static String fileName(String path) {
        return Path.of(path).getFileName().toString();
    }

    private List<JsonNode> records(String type) throws IOException {
        return SweepProcess.records(journal(), type);
    }

    /** The one trial_started of {@code trial}'s attempt {@code attempt}. */
    private JsonNode started(String trial, int attempt) throws IOException {
        List<JsonNode> found = records("trial_started").stream()
            .filter(r -> isTrial(r, trial) && r.path("attempt").asInt() == attempt).toList();
        assertEquals(1, found.size(), trial + " attempt " + attempt + ": " + records("trial_started"));
        return found.get(0);
    }

    /** The records between two others (by their seq), in order. */
    private List<JsonNode> between(JsonNode after, JsonNode before) throws IOException {
        long from = after.path("seq").asLong();
        long to = before.path("seq").asLong();
        return SweepProcess.journal(journal()).stream()
            .filter(r -> r.path("seq").asLong() > from && r.path("seq").asLong() < to).toList();
    }

    private void assertEveryTrialRanOnAWorker(Set<String> workers) throws IOException {
        List<JsonNode> started = records("trial_started");
        assertFalse(started.isEmpty());
        for (JsonNode s : started) {
            assertTrue(workers.contains(s.path("worker").asText()), "ran elsewhere than " + workers + ": " + s);
        }
    }

    @Test
    void workersStartedBeforeTheCoordinatorWaitForItAndTrainEveryTrialAsOneJvmWould() throws Exception {
        int port = freePort();
        Worker a = worker("worker-a", port);
        Worker b = worker("worker-b", port);
        for (Worker w : List.of(a, b)) {
            assertTrue(SweepProcess.awaitText(w.process(), w.log(), "joining the coordinator at 127.0.0.1:" + port,
                120_000), "the worker did not start: " + Files.readString(w.log()));
        }
        Process c = coordinator(port, 0);

        assertEquals(0, exitCode(c, coordinatorLog(), SWEEP_MILLIS), Files.readString(coordinatorLog()));
        assertEquals(baseline, SweepProcess.results(dir.resolve("coordinator/logs/clustered")));
        assertEveryTrialRanOnAWorker(Set.of(a.name(), b.name()));
        Set<String> used = records("trial_started").stream().map(r -> r.path("worker").asText())
            .collect(Collectors.toSet());
        assertEquals(Set.of(a.name(), b.name()), used, "both workers get trials");
        String out = Files.readString(coordinatorLog());
        String board = Files.readString(dir.resolve("coordinator/logs/clustered/leaderboard.log"));
        for (Worker w : List.of(a, b)) {
            assertTrue(out.contains("worker " + w.name() + " joined with 1 slot(s)"), out);
            String trial = records("trial_started").stream().filter(r -> r.path("worker").asText().equals(w.name()))
                .findFirst().orElseThrow().path("trial").asText();
            String line = trial + " runs on worker " + w.name() + " (attempt 1, from the start)";
            assertTrue(out.contains(line), out);
            assertTrue(board.contains(line), board);
        }
        // A worker outlives its coordinator, waiting for the next one (resume --cluster).
        assertTrue(SweepProcess.awaitText(a.process(), a.log(), "waiting for a coordinator at 127.0.0.1:" + port
            + " again", 60_000), Files.readString(a.log()));
    }

    @Test
    void aWorkerJoiningMidSweepGetsTrials() throws Exception {
        int port = freePort();
        Files.writeString(coordinatorDir().resolve(FILE), LONG_SPACE);
        Process c = coordinator(port, 0);
        Worker a = worker("worker-a", port);
        JsonNode firstEpoch = SweepProcess.awaitRecord(c, journal(), "epoch", r -> true, "a first epoch",
            SWEEP_MILLIS);
        Worker late = worker("worker-late", port);

        assertEquals(0, exitCode(c, coordinatorLog(), SWEEP_MILLIS), Files.readString(coordinatorLog()));
        List<JsonNode> onLate = records("trial_started").stream()
            .filter(r -> r.path("worker").asText().equals(late.name())).toList();
        assertFalse(onLate.isEmpty(), "the worker that joined mid-sweep got no trial: " + records("trial_started"));
        assertTrue(onLate.get(0).path("seq").asLong() > firstEpoch.path("seq").asLong());
        assertEveryTrialRanOnAWorker(Set.of(a.name(), late.name()));
        assertEquals(oneJvmResults("one-jvm", LONG_SPACE), SweepProcess.results(dir.resolve("coordinator/logs/clustered")));
    }

    @Test
    void aKilledWorkersTrialRestartsOnTheOtherWorkerFromItsNewestCheckpointWithTheSameResults() throws Exception {
        TwoWorkers run = startWithTwoWorkers();
        Process c = run.coordinator();
        Worker a = run.a();
        Worker b = run.b();
        JsonNode first = run.first();
        Worker victim = run.victim();
        Worker other = run.other();
        assertEquals(victim.name(), first.path("worker").asText());
        // After epoch 3: the checkpoint of epoch 2 is in the journal (shipped before epoch 3), epoch 3 is past it.
        SweepProcess.awaitRecord(c, journal(), "epoch", r -> isEpoch(r, "trial-0001", 3), "trial-0001's epoch 3",
            SWEEP_MILLIS);
        victim.process().destroyForcibly().waitFor();

        // Within seconds (failure detection, then the split brain resolver's stable-after)
        JsonNode lost = SweepProcess.awaitRecord(c, journal(), "trial_lost", r -> true, "the killed worker's trial",
            60_000);
        assertTrue(isTrial(lost, "trial-0001") && lost.path("attempt").asInt() == 1
            && lost.path("worker").asText().equals(victim.name()), lost.toString());
        assertEquals(0, exitCode(c, coordinatorLog(), SWEEP_MILLIS), Files.readString(coordinatorLog()));

        JsonNode again = started("trial-0001", 2);
        assertEquals(other.name(), again.path("worker").asText(), again.toString());
        assertFalse(again.path("checkpoint").isNull(), "attempt 2 started from scratch: " + again);
        List<JsonNode> attempt1 = between(first, lost);
        JsonNode newest = attempt1.stream().filter(r -> r.path("type").asText().equals("checkpoint")
            && isTrial(r, "trial-0001")).reduce((x, y) -> y).orElseThrow(() -> new AssertionError("no checkpoint"));
        int from = again.path("from_epoch").asInt();
        assertEquals(newest.path("epochs_done").asInt(), from, again.toString());
        assertEquals(fileName(newest.path("file").asText()), fileName(again.path("checkpoint").asText()));
        assertTrue(from >= 2, "epoch 2's checkpoint was in the journal before the kill: " + again);
        // The epochs journalled after that checkpoint are trained again, so they stop counting.
        long epochsJournalled = attempt1.stream().filter(r -> r.path("type").asText().equals("epoch")
            && r.path("metrics").path("trial").asText().equals("trial-0001")).count();
        assertTrue(epochsJournalled >= 3, attempt1.toString());
        Optional<JsonNode> rewound = between(lost, again).stream()
            .filter(r -> r.path("type").asText().equals("trial_rewound") && isTrial(r, "trial-0001")).findFirst();
        assertEquals(epochsJournalled > from, rewound.isPresent(), "rewound: " + rewound + ", " + epochsJournalled
            + " epochs journalled, attempt 2 from epoch " + from);
        rewound.ifPresent(r -> assertEquals(from, r.path("to_epoch").asInt(), r.toString()));

        String out = Files.readString(coordinatorLog());
        assertTrue(out.contains("worker " + victim.name() + " is gone"), out);
        assertTrue(out.contains("trial-0001 lost on worker " + victim.name() + " (attempt 1)"), out);
        assertTrue(out.contains("trial-0001 runs on worker " + other.name() + " (attempt 2, from "
            + fileName(newest.path("file").asText()) + ")"), out);
        assertEveryTrialRanOnAWorker(Set.of(a.name(), b.name()));
        assertEquals(baseline, SweepProcess.results(dir.resolve("coordinator/logs/clustered")));
    }

    @Test
    void aSigtermedWorkerHandsItsTrialBackWithAFreshCheckpointAndLeavesWithTheSameResults() throws Exception {
        TwoWorkers run = startWithTwoWorkers();
        Process c = run.coordinator();
        Worker a = run.a();
        Worker b = run.b();
        JsonNode first = run.first();
        Worker victim = run.victim();
        Worker other = run.other();
        // After epoch 1, before any checkpoint of the schedule (every 2 epochs): only the hand-back makes one.
        SweepProcess.awaitRecord(c, journal(), "epoch", r -> isEpoch(r, "trial-0001", 1), "trial-0001's epoch 1",
            SWEEP_MILLIS);
        victim.process().destroy();

        assertEquals(0, exitCode(victim.process(), victim.log(), 90_000), Files.readString(victim.log()));
        assertTrue(Files.readString(victim.log()).contains("worker left the cluster"), Files.readString(victim.log()));
        JsonNode returned = SweepProcess.awaitRecord(c, journal(), "trial_returned", r -> true, "the handed-back trial",
            60_000);
        assertTrue(isTrial(returned, "trial-0001") && returned.path("attempt").asInt() == 1
            && returned.path("worker").asText().equals(victim.name()), returned.toString());
        assertEquals(0, exitCode(c, coordinatorLog(), SWEEP_MILLIS), Files.readString(coordinatorLog()));

        JsonNode again = started("trial-0001", 2);
        assertEquals(other.name(), again.path("worker").asText(), again.toString());
        JsonNode shipped = between(first, returned).stream().filter(r -> r.path("type").asText().equals("checkpoint")
            && isTrial(r, "trial-0001")).reduce((x, y) -> y)
            .orElseThrow(() -> new AssertionError("no checkpoint shipped before the hand-back"));
        // The schedule checkpoints after even epochs only: this one the hand-back wrote, at the epoch
        // boundary or a batch boundary in epoch 2, depending on when the signal landed.
        assertEquals(1, shipped.path("epochs_done").asInt(), shipped.toString());
        assertEquals(1, again.path("from_epoch").asInt(), again.toString());
        assertEquals(fileName(shipped.path("file").asText()), fileName(again.path("checkpoint").asText()));
        assertEquals(List.of(), records("trial_lost"), "a handed-back trial is not lost");
        assertTrue(Files.readString(coordinatorLog()).contains("trial-0001 handed back by worker " + victim.name()
            + " (attempt 1)"), Files.readString(coordinatorLog()));
        assertEquals(baseline, SweepProcess.results(dir.resolve("coordinator/logs/clustered")));
    }

    @Test
    void aSigtermedCoordinatorInterruptsTrialsOnTheWorkersAndResumeClusterFinishesThemWithTheSameResults()
            throws Exception {
        int port = freePort();
        Process c = coordinator(port, 0);
        Worker a = worker("worker-a", port);
        Worker b = worker("worker-b", port);
        SweepProcess.awaitRecord(c, journal(), "epoch", r -> isEpoch(r, "trial-0001", 1), "trial-0001's epoch 1",
            SWEEP_MILLIS);
        c.destroy();

        assertEquals(143, exitCode(c, coordinatorLog(), 90_000), Files.readString(coordinatorLog()));
        List<JsonNode> interrupted = records("trial_finished").stream()
            .filter(r -> r.path("status").asText().equals("INTERRUPTED")).toList();
        assertFalse(interrupted.isEmpty(), "no trial was interrupted: " + Files.readString(journal()));
        // A trial interrupted before its first epoch (its trainer still being built) has nothing to keep.
        List<String> trained = interrupted.stream().map(r -> r.path("trial").asText())
            .filter(t -> { try { return records("epoch").stream().anyMatch(e -> isEpoch(e, t, 1)); }
                catch (IOException e) { throw new java.io.UncheckedIOException(e); } }).toList();
        assertFalse(trained.isEmpty(), "no interrupted trial had trained an epoch: " + Files.readString(journal()));
        for (String trial : trained) {
            assertTrue(records("checkpoint").stream().anyMatch(ck -> isTrial(ck, trial)),
                trial + " was interrupted without shipping a checkpoint");
        }
        assertTrue(a.process().isAlive() && b.process().isAlive(), "the workers wait for the next coordinator");

        Process again = SweepProcess.start(coordinatorDir(), "resume.log", "resume", "clustered", "--cluster",
            "127.0.0.1:" + port, "--local-slots", "0");
        children.add(again);
        Path resumeLog = dir.resolve("coordinator/resume.log");
        assertEquals(0, exitCode(again, resumeLog, SWEEP_MILLIS), Files.readString(resumeLog));
        assertTrue(Files.readString(resumeLog).contains("joined with 1 slot(s)"), Files.readString(resumeLog));
        for (String trial : trained) {
            assertTrue(Files.readString(resumeLog).matches("(?s).*" + trial + " runs on worker 127\\.0\\.0\\.1:\\d+ "
                + "\\(attempt 1, from epoch-\\d{4}(\\+b\\d{6})?\\.ckpt\\).*"), Files.readString(resumeLog));
        }
        assertEquals(baseline, SweepProcess.results(dir.resolve("coordinator/logs/clustered")));
    }

    @Test
    void aWorkerWithADifferentSearchSpaceIsRefusedWithTheReasonAndExitsWithCode2() throws Exception {
        int port = freePort();
        // The coordinator sends the search space's path relative to its working directory; in the
        // worker's, that path holds another file.
        Files.writeString(Files.createDirectories(dir.resolve("worker-bad")).resolve(FILE),
            SPACE.replace("epochs: 6", "epochs: 7"));
        Worker bad = worker("worker-bad", port);
        Process c = coordinator(port, 1);

        assertEquals(2, exitCode(bad.process(), bad.log(), SWEEP_MILLIS), Files.readString(bad.log()));
        String err = Files.readString(bad.log());
        assertTrue(err.contains("hpsweep: error: this worker cannot take part: its search space differs: " + FILE
            + " on this machine has sha256 "), err);
        assertTrue(SweepProcess.awaitText(c, coordinatorLog(), "worker " + bad.name() + " refused: its search space"
            + " differs", 30_000), Files.readString(coordinatorLog()));
        // The sweep goes on without it, on the coordinator's own slot.
        SweepProcess.awaitRecord(c, journal(), "epoch", r -> true, "an epoch trained on the coordinator",
            SWEEP_MILLIS);
        List<JsonNode> started = records("trial_started");
        assertTrue(started.stream().allMatch(r -> r.path("worker").asText().equals("coordinator")),
            started.toString());
    }
}
