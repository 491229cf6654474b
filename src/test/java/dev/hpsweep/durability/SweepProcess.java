package dev.hpsweep.durability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** hpsweep in a child JVM (so it can be killed for real), and what a sweep left on disk. */
public final class SweepProcess {
    /** The smallest real sweep: one MLP trial of one epoch on europe-cities; {@code extra} adds top-level keys. */
    static final String TINY = """
        name: %s
        dataset: {name: europe-cities}
        model: {type: mlp}
        objective: {metric: val_accuracy, mode: max}
        epochs: 1
        fixed: {batch_size: 4096, depth: 1, width: 4}
        search: {strategy: grid, params: [{lr: [0.01]}]}
        %s
        """;

    /** Writes {@link #TINY} as {@code dir/NAME.yaml}. */
    static Path tinySweep(Path dir, String name, String extra) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), TINY.formatted(name, extra));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepProcess() {
    }

    /** Starts {@code hpsweep args} in {@code dir}, output to {@code dir/<log>}. */
    static Process start(Path dir, String log, String... args) throws IOException {
        return launch(dir, log, List.of(), "-Xmx1g", args);
    }

    /** As {@link #start(Path, String, String...)}, with a heap limit such as {@code -Xmx64m}. */
    static Process startWithHeap(Path dir, String log, String heap, String... args) throws IOException {
        return launch(dir, log, List.of(), heap, args);
    }

    /** Like {@link #start(Path, String, String...)}, the JVM run by {@code wrapper} (strace ...). */
    static Process start(Path dir, String log, List<String> wrapper, String... args) throws IOException {
        return launch(dir, log, wrapper, "-Xmx1g", args);
    }

    private static Process launch(Path dir, String log, List<String> wrapper, String heap, String... args)
            throws IOException {
        return launch(dir, log, wrapper, heap, args, List.of("dev.hpsweep.cli.Main"));
    }

    /** {@code optionsAndMain}: JVM options after the usual ones, then the main class. */
    private static Process launch(Path dir, String log, List<String> wrapper, String heap, String[] args,
                                  List<String> optionsAndMain) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            heap, "-XX:+UseSerialGC", "-Dorg.bytedeco.javacpp.maxbytes=2G",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
            "-Dorg.bytedeco.javacpp.platform.extension=" + System.getProperty("org.bytedeco.javacpp.platform.extension", ""),
            "-cp", System.getProperty("java.class.path")));
        cmd.addAll(optionsAndMain);
        String nativeDir = System.getProperty("hpsweep.xgboost.native.dir");
        if (nativeDir != null) {
            cmd.add(cmd.size() - 1, "-Dhpsweep.xgboost.native.dir=" + nativeDir);
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().remove("HPSWEEP_DEBUG");
        return pb.start();
    }

    static int runToEnd(Path dir, String log, String... args) throws Exception {
        return runToEnd(dir, log, List.of(), args);
    }

    /** Runs {@code hpsweep args} to its end with extra JVM options after the usual ones (a later -D wins). */
    static int runToEndWithOptions(Path dir, String log, List<String> jvmOptions, String... args) throws Exception {
        List<String> all = new ArrayList<>(jvmOptions);
        all.add("dev.hpsweep.cli.Main");
        Process p = launch(dir, log, List.of(), "-Xmx1g", args, all);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("hpsweep " + String.join(" ", args) + " did not end; see " + dir.resolve(log));
        }
        return p.exitValue();
    }

    static int runToEnd(Path dir, String log, List<String> wrapper, String... args) throws Exception {
        Process p = start(dir, log, wrapper, args);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("hpsweep " + String.join(" ", args) + " did not end; see " + dir.resolve(log));
        }
        return p.exitValue();
    }

    /** Waits until {@code file} contains {@code text}; false on timeout, or as soon as {@code p} has ended without it. */
    static boolean awaitText(Process p, Path file, String text, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            boolean alive = p.isAlive();
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            if (!alive) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Waits until {@code file} contains {@code text}; false on timeout. */
    static boolean awaitText(Path file, String text, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** A journal's records, in order; a last line still being written is left out. */
    static List<JsonNode> journal(Path journal) throws IOException {
        if (!Files.exists(journal)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(journal);
        List<JsonNode> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                records.add(JSON.readTree(lines.get(i)));
            } catch (JsonProcessingException e) {
                if (i < lines.size() - 1) {
                    throw new IOException(journal + ":" + (i + 1) + ": not a JSON record", e);
                }
            }
        }
        return records;
    }

    /** The journal records of {@code type} ("trial_started", "epoch", ...), in order. */
    static List<JsonNode> records(Path journal, String type) throws IOException {
        return journal(journal).stream().filter(r -> r.path("type").asText().equals(type)).toList();
    }

    /**
     * Waits for the first record of {@code type} in {@code journal} that {@code which} accepts and
     * returns it; fails, naming {@code what}, on timeout or as soon as {@code p} has ended without it.
     */
    static JsonNode awaitRecord(Process p, Path journal, String type, Predicate<JsonNode> which, String what,
                                long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            boolean alive = p.isAlive();
            for (JsonNode r : records(journal, type)) {
                if (which.test(r)) {
                    return r;
                }
            }
            if (!alive || System.currentTimeMillis() > end) {
                throw new AssertionError("no " + type + " record (" + what + ") in " + journal
                    + (alive ? " within " + timeoutMillis + " ms" : "; the process ended with " + p.exitValue()));
            }
            Thread.sleep(50);
        }
    }

    /**
     * Every trial's metrics.jsonl without its timings, and leaderboard.csv without its seconds
     * column: what must be equal between an interrupted-and-resumed sweep and an uninterrupted one
     * (or a cluster's run and a one-JVM one).
     */
    public static TreeMap<String, List<String>> results(Path sweepLogs) {
        TreeMap<String, List<String>> out = new TreeMap<>();
        try (Stream<Path> trials = Files.list(sweepLogs.resolve("trials"))) {
            for (Path trial : trials.sorted().toList()) {
                List<String> lines = new ArrayList<>();
                for (String line : Files.readAllLines(trial.resolve("metrics.jsonl"))) {
                    ObjectNode node = (ObjectNode) JSON.readTree(line);
                    node.remove("seconds");
                    node.remove("timeMillis");
                    lines.add(node.toString());
                }
                out.put(trial.getFileName().toString(), lines);
            }
            List<String> csv = new ArrayList<>();
            List<String> rows = Files.readAllLines(sweepLogs.resolve("leaderboard.csv"));
            int secondsColumn = cells(rows.get(0)).indexOf("seconds");
            for (String row : rows) {
                List<String> cells = cells(row);
                cells.remove(secondsColumn);
                csv.add(String.join(",", cells));
            }
            out.put("leaderboard.csv", csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A CSV row's cells; a quoted cell may hold commas (list-valued parameters do). */
    static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : row.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
                continue;
            }
            cell.append(c);
        }
        cells.add(cell.toString());
        return cells;
    }

    static long count(Path file, String text) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.contains(text)).count();
    }

    /**
     * Runs sweep {@code name} ({@code dir/<name>.yaml}) in child JVMs, each killed with SIGKILL at a
     * random moment after it checkpointed something new, then resumed, until one run ends by
     * itself (exit 0 asserted). JVM start-up takes seconds and varies, so each kill waits for new
     * progress; the moment itself falls anywhere: mid-epoch, mid-checkpoint, between journal records.
     *
     * @return how many times it was killed
     */
    static int killAndResumeUntilDone(Path dir, String name, java.util.Random random) throws Exception {
        Path journal = dir.resolve("logs/" + name + "/journal.jsonl");
        int kills = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            String[] args = attempt == 0 ? new String[] {"run", name + ".yaml"} : new String[] {"resume", name};
            long before = Files.exists(journal) ? count(journal, CHECKPOINT) : 0;
            Process p = start(dir, "child.log", args);
            boolean progressed = awaitMore(p, journal, before);
            if (progressed && !p.waitFor(random.nextInt(1500), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                kills++;
                continue;
            }
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError("run " + attempt + " did not end well: " + Files.readString(dir.resolve("child.log")));
            }
            return kills;
        }
        throw new AssertionError("still not done after 20 runs");
    }

    private static final String CHECKPOINT = "\"type\":\"checkpoint\"";

    /** Waits until the journal holds more checkpoint records than {@code before}, or the process ends. */
    private static boolean awaitMore(Process p, Path journal, long before) throws Exception {
        long end = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < end && p.isAlive()) {
            if (Files.exists(journal) && count(journal, CHECKPOINT) > before) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
