package dev.hpsweep.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the benchmarks share: wall-clock timing, medians, and running the Python side of a comparison. */
final class Measurements {
    private Measurements() {
    }

    static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /**
     * Runs {@code tools/bench/<script>} with Debian's Python ({@code HPSWEEP_PYTHON} overrides
     * /usr/bin/python3) and returns its last output line, a JSON object; null when that Python or
     * the script is missing or it failed, so the benchmark reports the comparison as not run.
     */
    static String python(String script, int ompThreads, String... args) throws Exception {
        Path file = Path.of(System.getProperty("hpsweep.root", "."), "tools/bench", script);
        String exe = System.getenv().getOrDefault("HPSWEEP_PYTHON", "/usr/bin/python3");
        if (!Files.isRegularFile(file) || !Files.isExecutable(Path.of(exe))) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(exe, file.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(ompThreads));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            return null;
        }
        String last = output.lines().reduce((a, b) -> b).orElse("");
        return last.startsWith("{") ? last : null;
    }

    /** A number field of a one-line JSON object such as the Python scripts print. */
    static double field(String json, String name) {
        return Double.parseDouble(json.replaceAll(".*\"" + name + "\": ([0-9.eE+-]+).*", "$1"));
    }
}
