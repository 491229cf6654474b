package dev.hpsweep.cli;

import dev.hpsweep.actors.SweepPlan;
import dev.hpsweep.actors.SweepRunner;
import dev.hpsweep.actors.SweepSupervisor.SweepOutcome;
import dev.hpsweep.journal.OrphanedTempFiles;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.schedule.EarlyStoppingRules;
import dev.hpsweep.train.NativeThreads;
import dev.hpsweep.train.ScopedTrainer;
import dev.hpsweep.train.TrainerFactory;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.TrainingContext;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.hpsweep.actors.cluster.ClusterCoordinator;
import dev.hpsweep.actors.cluster.ClusterSettings;
import dev.hpsweep.journal.OsReason;
import dev.hpsweep.space.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Runs a planned sweep for {@code run} and {@code resume}: prints where to watch it, and turns
 * Ctrl-C / SIGTERM into an orderly interruption (trials checkpoint at their next batch boundary
 * and are journalled INTERRUPTED) before the JVM exits.
 */
final class SweepExecution {
    /** How long a signal waits for running trials to reach a batch boundary and checkpoint. */
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(60);
    /** The search space goes to workers in one Hello: well under Artery's 256 KiB frame. */
    private static final int MAX_CLUSTER_SPACE_CHARS = 64 * 1024;

    private SweepExecution() {
    }

    /** Under the sweep's lock, before anything is written: what killed writes left behind goes. */
    static void removeOrphanedTempFiles(SweepPaths paths, PrintWriter out) {
        List<Path> removed = OrphanedTempFiles.remove(paths);
        if (!removed.isEmpty()) {
            out.printf(Locale.ROOT, "removed %d temp file(s) left by writes that were cut short: %s%n", removed.size(),
                removed.stream().map(Path::toString).collect(Collectors.joining(", ")));
            out.flush();
        }
    }

    /** The sweep's trainers; build them once per process (a factory caches the data set's arrays). */
    static TrainerFactory trainers(SweepInputs in) {
        int threads = in.space().execution().threadsPerTrial();
        NativeThreads.configure(threads);
        return ScopedTrainer.around(ModelRegistry.installed().type(in.space().modelType())
            .trainers(new TrainingContext(in.data(), in.space().seed(), threads, in.init())));
    }

    static int execute(SweepPlan plan, SweepInputs in, CommandLine cli, ClusterOptions cluster)
            throws InterruptedException {
        return execute(plan, in, trainers(in), cli, cluster);
    }

    /** With --cluster: this JVM's slots, the coordinator's Akka settings, and the actor that brings workers in. */
    private static SweepRunner.Cluster cluster(SweepPlan plan, SweepInputs in, ClusterOptions options,
                                               PrintWriter out) {
        ClusterAddress address = options == null ? null : options.check();
        if (address == null) {
            return null;
        }
        int local = options.localSlots == null ? plan.concurrency() : options.localSlots;
        String advertised = address.advertised();
        Config config = options.tls().withFallback(ClusterSettings.coordinator(advertised, address.port()));
        if (address.anyInterface()) {
            config = ConfigFactory.parseString("akka.remote.artery.bind.hostname = \"" + address.host() + "\"")
                .withFallback(config);
        }
        config = ConfigFactory.parseString("hpsweep.training-dispatcher.thread-pool-executor.fixed-pool-size = "
            + Math.max(1, local)).withFallback(config);
        Path file = in.space().file().toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath().normalize();
        String spacePath = file.startsWith(cwd) ? cwd.relativize(file).toString() : file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw OsReason.failure("cannot read " + file, e);
        }
        if (text.length() > MAX_CLUSTER_SPACE_CHARS) {
            // It travels to workers in one message, and Artery drops messages over 256 KiB.
            throw new InputException(file, 0, 0, null, "a search-space file run with --cluster is at most "
                + MAX_CLUSTER_SPACE_CHARS + " characters, but this one has " + text.length());
        }
        ClusterCoordinator.SweepInfo info = new ClusterCoordinator.SweepInfo(in.space().name(),
            BuildId.of(ModelRegistry.installed().type(in.space().modelType())), spacePath, text,
            in.space().fingerprint(), in.fingerprint());
        out.printf(Locale.ROOT, "coordinating a cluster on %s (%d local slot(s)); on other machines, with the same build"
            + " and data: bin/hpsweep worker --join %s:%d%s%n", address, local, advertised, address.port(),
            options.tlsKeyStore == null ? "" : " " + TlsKeyStore.OPTION + " FILE");
        return new SweepRunner.Cluster(local, config,
            supervisor -> ClusterCoordinator.create(info, supervisor, line -> {
                out.println(line);
                out.flush();
            }));
    }

    static int execute(SweepPlan plan, SweepInputs in, TrainerFactory trainers, CommandLine cli,
                       ClusterOptions clusterOptions) throws InterruptedException {
        int threads = in.space().execution().threadsPerTrial();
        PrintWriter out = cli.getOut();
        out.printf(Locale.ROOT, "sweep '%s': %d trials%s, %d at a time, %d native thread(s) each%n",
            in.space().name(), plan.plannedTrials(),
            plan.plannedTrials() > in.trials().size() ? " (the first " + in.trials().size()
                + " random, the rest proposed by tpe)" : "",
            plan.concurrency(), threads);
        Concurrency.oversubscribed(plan.concurrency(), threads, Runtime.getRuntime().availableProcessors())
            .ifPresent(w -> {
                cli.getErr().println("hpsweep: warning: " + w);
                cli.getErr().flush();
            });
        if (!plan.history().isNew()) {
            out.printf(Locale.ROOT, "resuming: %d unfinished trial(s) continue, then the ones never started%n",
                plan.queue().size());
        }
        if (in.init() != null) {
            out.printf(Locale.ROOT, "trials start from %s (sha256 %s), %s%n", in.init().model(),
                in.init().sha256().substring(0, 12), in.init().freezeBackbone()
                    ? "backbone frozen: only the new output layer trains" : "every layer fine-tuned");
        }
        out.printf(Locale.ROOT, "early stopping: %s%s%n", EarlyStoppingRules.describe(in.space().earlyStopping()),
            in.space().search().timeBudgetSeconds() > 0
                ? "; no new trials after " + in.space().search().timeBudgetSeconds() + "s" : "");
        out.printf(Locale.ROOT, "watch it: tail -f %s   (or: bin/hpsweep tail %s)%n", plan.paths().leaderboardLog(),
            in.space().name());
        SweepRunner.Cluster cluster = cluster(plan, in, clusterOptions, out);
        out.flush();
        SweepRunner runner = SweepRunner.start(plan, trainers,
            EarlyStoppingRules.create(in.space().earlyStopping(), in.space().objective()),
            line -> {
                out.println(line);
                out.flush();
            }, cluster);
        Thread hook = new Thread(() -> {
            out.println("interrupted: stopping trials at their next batch boundary and checkpointing ...");
            out.flush();
            runner.interrupt();
            try {
                if (runner.await(INTERRUPT_GRACE).isEmpty()) {
                    out.println("gave up waiting for checkpoints after " + INTERRUPT_GRACE.toSeconds()
                        + "s; resume will use the last complete ones");
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hpsweep-interrupt");
        if (cluster == null) {
            Runtime.getRuntime().addShutdownHook(hook);
        } else {
            // Akka's remoting dies with the JVM's shutdown: workers' checkpoints ship before it.
            Signals.onInterrupt(() -> {
                out.println("interrupted: stopping trials here and on the workers at their next batch boundary"
                    + " and checkpointing ...");
                out.flush();
                runner.interrupt();
                try {
                    Thread.sleep(INTERRUPT_GRACE.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                out.println("gave up waiting for checkpoints after " + INTERRUPT_GRACE.toSeconds()
                    + "s; resume will use the last complete ones");
                out.flush();
                Runtime.getRuntime().halt(Signals.exitCode());
            });
        }
        SweepOutcome outcome = runner.await();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // A signal arrived: the hook is finishing the interruption; the JVM exits after it.
        }
        if (!outcome.ok()) {
            cli.getErr().println("hpsweep: error: " + outcome.error());
            return ExitCodes.FAILURE;
        }
        if (outcome.interrupted()) {
            return cluster != null && Signals.exitCode() != 0 ? Signals.exitCode() : ExitCodes.INTERRUPTED;
        }
        int ended = outcome.trials().values().stream().mapToInt(Integer::intValue).sum();
        boolean allFailed = ended > 0 && outcome.count(TrialStatus.FAILED) == ended;
        return allFailed ? ExitCodes.FAILURE : ExitCodes.OK;
    }
}
