package dev.hpsweep.cli;

import dev.hpsweep.actors.SweepPlan;
import dev.hpsweep.actors.SweepRunner;
import dev.hpsweep.actors.SweepSupervisor.SweepOutcome;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.EarlyStoppingRules;
import dev.hpsweep.space.InputException;
import dev.hpsweep.train.NativeThreads;
import dev.hpsweep.train.Trainers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
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
        SweepInputs in = SweepInputs.load(file);
        if (maxConcurrent != null && maxConcurrent < 1) {
            throw new InputException("--max-concurrent", 0, 0, null, "must be >= 1, but got " + maxConcurrent);
        }
        SweepPaths paths = SweepPaths.of(in.space().name(), logs, checkpoints);
        if (Files.exists(paths.logDir()) || Files.exists(paths.checkpointDir())) {
            if (!fresh) {
                throw new InputException(file.toString(), 0, 0, "name", "sweep '" + in.space().name()
                    + "' already has results in " + paths.logDir() + "; pass --fresh to move them to "
                    + in.space().name() + ".previous-<time> and start again, or give the sweep another name");
            }
            moveAside(paths);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int plannedTrials = Math.max(in.trials().size(), in.space().search().maxTrials());
        int concurrency = Math.min(plannedTrials,
            maxConcurrent != null ? maxConcurrent : in.space().execution().resolvedConcurrency(cores));
        int threads = in.space().execution().threadsPerTrial();
        NativeThreads.configure(threads);
        SweepPlan plan = new SweepPlan(in.space(), in.trials(), paths, in.data().fingerprint(), concurrency);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "sweep '%s': %d trials, %d at a time, %d native thread(s) each, %s%n",
            in.space().name(), plan.plannedTrials(), concurrency, threads,
            plannedTrials > in.trials().size() ? "the first " + in.trials().size() + " random, the rest proposed by tpe"
                : plan.totalEpochs() + " epochs in all");
        out.printf(Locale.ROOT, "early stopping: %s%s%n", EarlyStoppingRules.describe(in.space().earlyStopping()),
            in.space().search().timeBudgetSeconds() > 0
                ? "; no new trials after " + in.space().search().timeBudgetSeconds() + "s" : "");
        out.printf(Locale.ROOT, "watch it: tail -f %s   (or: bin/hpsweep tail %s)%n", paths.leaderboardLog(),
            in.space().name());
        out.flush();
        SweepOutcome outcome = SweepRunner.run(plan, Trainers.forSpace(in.space(), in.data()),
            EarlyStoppingRules.create(in.space().earlyStopping(), in.space().objective()),
            line -> {
                out.println(line);
                out.flush();
            });
        if (!outcome.ok()) {
            spec.commandLine().getErr().println("hpsweep: error: " + outcome.error());
            return ExitCodes.FAILURE;
        }
        int ended = outcome.trials().values().stream().mapToInt(Integer::intValue).sum();
        boolean allFailed = ended > 0 && outcome.count(TrialStatus.FAILED) == ended;
        return allFailed ? ExitCodes.FAILURE : ExitCodes.OK;
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
