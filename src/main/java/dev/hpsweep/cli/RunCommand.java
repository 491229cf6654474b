package dev.hpsweep.cli;

import dev.hpsweep.actors.SweepPlan;
import dev.hpsweep.journal.OsReason;
import dev.hpsweep.journal.SweepLock;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.space.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hpsweep run FILE}: validates a search space, then runs its trials to the end. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the sweep a search-space file describes; watch it with 'hpsweep tail NAME'.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "search-space file (.yaml, .yml or .json)")
    Path file;

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "logs",
        description = "root of the sweep's logs (default: ${DEFAULT-VALUE}); they go to DIR/<sweep>/")
    Path logs;

    @Option(names = "--checkpoints", paramLabel = "DIR", defaultValue = "checkpoints",
        description = "root of the sweep's checkpoints (default: ${DEFAULT-VALUE})")
    Path checkpoints;

    @Option(names = "--max-concurrent", paramLabel = "N",
        description = "run at most N trials at once (overrides execution.max_concurrent_trials)")
    Integer maxConcurrent;

    @Option(names = "--fresh",
        description = "if the sweep already has results, move them aside to <sweep>.previous-<time> and start again")
    boolean fresh;

    @picocli.CommandLine.Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        cluster.check();
        SweepInputs in = SweepInputs.load(file, logs);
        SweepPaths paths = SweepPaths.of(in.space().name(), logs, checkpoints);
        try (SweepLock lock = lockEmptySweep(paths, LocalDateTime.now())) {
            int concurrency = Concurrency.resolve(maxConcurrent, in);
            SweepPlan plan = SweepPlan.fresh(in.space(), in.trials(), paths, in.fingerprint(), concurrency);
            return SweepExecution.execute(plan, in, spec.commandLine(), cluster);
        }
    }

    /**
     * The sweep's lock (its logs and its checkpoints), with no earlier results in its directories:
     * those are an error, or with --fresh are moved aside first. Temp files that killed writes left
     * are removed first, under the lock. The lock is held throughout (on Linux it moves with its
     * directory), so no other run can start in between; a failure to release it is added to an
     * earlier error, never put in its place.
     */
    private SweepLock lockEmptySweep(SweepPaths paths, LocalDateTime now) {
        String name = paths.sweep();
        SweepLock lock = SweepLock.acquire(paths);
        try {
            SweepExecution.removeOrphanedTempFiles(paths, spec.commandLine().getOut());
            if (!Files.exists(paths.journal()) && !hasCheckpoints(paths.checkpointDir())) {
                return lock;
            }
            if (!fresh) {
                throw new InputException(file.toString(), 0, 0, "name", "sweep '" + name
                    + "' already has results in " + paths.logDir() + "; continue it with 'hpsweep resume "
                    + name + "', or pass --fresh to move them to " + name
                    + ".previous-<time> and start again, or give the sweep another name");
            }
            moveAside(paths, now);
            SweepLock movedAside = lock;
            lock = SweepLock.acquire(paths);
            movedAside.close();
            return lock;
        } catch (RuntimeException e) {
            try {
                lock.close();
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
    }

    /** Anything in the checkpoints directory but the lock, which this process has just made. */
    private static boolean hasCheckpoints(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> !p.getFileName().toString().equals(".lock"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw OsReason.failure("cannot list " + dir, e);
        }
    }

    /**
     * Keeps earlier results (nothing already written is lost) under a dated name beside them,
     * {@code <sweep>.previous-<time>}, or {@code ...-2}, {@code -3}, ... when that is taken (two --fresh
     * in one second, a clock set back); the logs and checkpoints get the same suffix.
     *
     * @return the suffix used
     */
    static String moveAside(SweepPaths paths, LocalDateTime now) {
        String stamp = ".previous-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path[] dirs = {paths.logDir(), paths.checkpointDir()};
        String suffix = stamp;
        for (int n = 2; taken(dirs, suffix); n++) {
            suffix = stamp + "-" + n;
        }
        for (Path dir : dirs) {
            if (Files.exists(dir)) {
                Path target = dir.resolveSibling(dir.getFileName() + suffix);
                try {
                    Files.move(dir, target);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot move " + dir + " aside to " + target, e);
                }
            }
        }
        return suffix;
    }

    private static boolean taken(Path[] dirs, String suffix) {
        for (Path dir : dirs) {
            if (Files.exists(dir.resolveSibling(dir.getFileName() + suffix), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }
}
