package dev.hpsweep.cli;

import dev.hpsweep.actors.SweepPlan;
import dev.hpsweep.journal.FileErrors;
import dev.hpsweep.journal.SweepLock;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.space.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        SweepInputs in = SweepInputs.load(file, logs);
        SweepPaths paths = SweepPaths.of(in.space().name(), logs, checkpoints);
        SweepLock lock = SweepLock.acquire(paths);
        try {
            SweepExecution.removeOrphanedTempFiles(paths, spec.commandLine().getOut());
            if (Files.exists(paths.journal()) || hasCheckpoints(paths.checkpointDir())) {
                if (!fresh) {
                    throw new InputException(file.toString(), 0, 0, "name", "sweep '" + in.space().name()
                        + "' already has results in " + paths.logDir() + "; continue it with 'hpsweep resume "
                        + in.space().name() + "', or pass --fresh to move them to " + in.space().name()
                        + ".previous-<time> and start again, or give the sweep another name");
                }
                lock.close();
                moveAside(paths);
                lock = SweepLock.acquire(paths);
            }
            int concurrency = Concurrency.resolve(maxConcurrent, in);
            SweepPlan plan = SweepPlan.fresh(in.space(), in.trials(), paths, in.fingerprint(), concurrency);
            return SweepExecution.execute(plan, in, spec.commandLine());
        } finally {
            lock.close();
        }
    }

    /** Anything in the checkpoints directory but the lock, which this process has just made. */
    private static boolean hasCheckpoints(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> !p.getFileName().toString().equals(".lock"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw FileErrors.failure("cannot list " + dir, e);
        }
    }

    /** Keeps earlier results (nothing already written is lost) under a dated name beside them. */
    private static void moveAside(SweepPaths paths) {
        String suffix = ".previous-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        for (Path dir : new Path[] {paths.logDir(), paths.checkpointDir()}) {
            if (Files.exists(dir)) {
                try {
                    Files.move(dir, dir.resolveSibling(dir.getFileName() + suffix));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot move " + dir + " aside", e);
                }
            }
        }
    }
}
