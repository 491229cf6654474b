package dev.hpsweep.cli;

import dev.hpsweep.actors.SweepPlan;
import dev.hpsweep.actors.TrialRun;
import dev.hpsweep.journal.JournalReader;
import dev.hpsweep.journal.ResumePlanner;
import dev.hpsweep.journal.SweepHistory;
import dev.hpsweep.journal.SweepLock;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.journal.TrialStatus;
import dev.hpsweep.space.InputException;
import dev.hpsweep.space.SweepName;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.CheckpointStore;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainerFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hpsweep resume NAME}: continues an interrupted sweep from its journal. Finished trials
 * are not run again, unfinished ones continue from their last valid checkpoint, pending ones start.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Continue an interrupted sweep where it stopped.")
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "the sweep's name (its directory under --logs)")
    String sweep;

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "logs", description = "root of the logs (default: ${DEFAULT-VALUE})")
    Path logs;

    @Option(names = "--checkpoints", paramLabel = "DIR", defaultValue = "checkpoints",
        description = "root of the checkpoints (default: ${DEFAULT-VALUE})")
    Path checkpoints;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "run at most N trials at once")
    Integer maxConcurrent;

    @Option(names = "--retry-failed", description = "run FAILED trials again, from their last checkpoint")
    boolean retryFailed;

    @Option(names = "--force", description = "resume even though the search-space file or the data set changed")
    boolean force;

    @picocli.CommandLine.Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private TrainerFactory trainers;

    @Override
    public Integer call() throws InterruptedException {
        cluster.check();
        SweepName.checkArgument("NAME", sweep);
        SweepPaths paths = SweepPaths.of(sweep, logs, checkpoints);
        if (!Files.exists(paths.journal())) {
            throw new InputException(sweep, 0, 0, null, "no sweep named '" + sweep + "': " + paths.journal()
                + " does not exist; start one with 'hpsweep run FILE'");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SweepLock lock = SweepLock.acquire(paths)) {
            SweepExecution.removeOrphanedTempFiles(paths, out);
            JournalReader.Contents contents = JournalReader.read(paths.journal());
            if (contents.torn()) {
                out.printf("journal: line %d was torn (%d bytes, the process died while writing it); cut it%n",
                    contents.tornLine(), contents.tornBytes());
                JournalReader.cutTornTail(paths.journal(), contents);
            }
            SweepHistory history = ResumePlanner.history(contents);
            if (history.spaceFile() == null) {
                throw new InputException(paths.journal().toString(), 1, 0, null,
                    "the journal has no sweep_started record; it is not a sweep's journal");
            }
            SweepInputs in = SweepInputs.load(spaceFile(history, paths), logs);
            checkUnchanged(history, in);
            List<TrialRun> queue = queue(history, paths, in, out);
            if (queue.isEmpty() && history.ended()) {
                out.println("sweep '" + sweep + "' already finished; nothing to do"
                    + (history.outcomes().values().stream().anyMatch(o -> o.status() == TrialStatus.FAILED)
                    ? " (some trials FAILED: --retry-failed runs them again)" : ""));
                return ExitCodes.OK;
            }
            SweepPlan plan = new SweepPlan(in.space(), in.trials(), queue, history, paths, in.fingerprint(),
                Concurrency.resolve(maxConcurrent, in));
            return SweepExecution.execute(plan, in, trainers(in), spec.commandLine(), cluster);
        }
    }

    private void checkUnchanged(SweepHistory history, SweepInputs in) {
        List<String> changed = new ArrayList<>();
        if (!in.space().fingerprint().equals(history.spaceSha256())) {
            changed.add("the search-space file " + in.space().file() + " changed (sha256 " + abbrev(history.spaceSha256())
                + " when the sweep started, " + abbrev(in.space().fingerprint()) + " now)");
        }
        if (!in.fingerprint().equals(history.dataSha256())) {
            changed.add((in.init() == null ? "the data set '" + in.data().name() + "'"
                : "the data set '" + in.data().name() + "' or the model the trials start from (" + in.init().model() + ")")
                + " changed (sha256 " + abbrev(history.dataSha256()) + " then, " + abbrev(in.fingerprint()) + " now)");
        }
        if (!changed.isEmpty() && !force) {
            throw new InputException(sweep, 0, 0, null, String.join("; ", changed)
                + "; results would mix two experiments. Restore the original, or pass --force to resume anyway");
        }
    }

    /**
     * Where the sweep's search-space file is now: at the place it had relative to the sweep's log
     * directory when the sweep started (so a project moved or copied with its logs uses its own
     * copy), else where the journal recorded it (logs moved without the file).
     */
    private static Path spaceFile(SweepHistory history, SweepPaths paths) {
        Path beside = history.spaceFileFromSweep() == null ? null
            : paths.logDir().toAbsolutePath().normalize().resolve(history.spaceFileFromSweep()).normalize();
        if (beside != null && Files.isRegularFile(beside)) {
            return beside;
        }
        if (Files.isRegularFile(history.spaceFile()) || beside == null) {
            return history.spaceFile();
        }
        throw new InputException(paths.journal().toString(), 0, 0, null, "the search-space file the sweep started "
            + "from is neither at " + history.spaceFile() + " (where it was) nor at " + beside + " (the same place "
            + "relative to " + paths.logDir() + ", for a moved project); put it back, then resume");
    }

    /**
     * The trials that were started and did not finish, from their checkpoints, in the order they
     * started; those never started come from the search's source as the sweep goes on. Each
     * checkpoint chosen is restored once into a throw-away trainer, so that one that is intact but
     * cannot be restored gives way to the one before it here, instead of failing its trial later.
     */
    private List<TrialRun> queue(SweepHistory history, SweepPaths paths, SweepInputs in, PrintWriter out) {
        List<TrialRun> resumed = new ArrayList<>();
        for (TrialSpec t : history.startedTrials()) {
            SweepHistory.Outcome outcome = history.outcomes().get(t.id());
            boolean done = outcome != null && (outcome.status() == TrialStatus.COMPLETED
                || outcome.status() == TrialStatus.STOPPED
                || outcome.status() == TrialStatus.FAILED && !retryFailed);
            if (done) {
                continue;
            }
            int journalled = history.epochsOf(t.id()).size();
            CheckpointStore store = new CheckpointStore(paths.trialCheckpoints(t.id()), 1);
            CheckpointStore.RestoreCheck restorable = file -> {
                try (Trainer trainer = trainers(in).create(t)) {
                    CheckpointStore.restore(file, trainer);
                }
            };
            Optional<CheckpointStore.Loaded> ckpt = store.latestValid(journalled, restorable,
                why -> out.println(t.id() + ": " + why));
            if (ckpt.isPresent()) {
                CheckpointStore.Loaded c = ckpt.get();
                out.printf("%s: continues from %s (%d epochs done)%n", t.id(), c.file().getFileName(), c.position().epochs());
                resumed.add(new TrialRun(t, c.file(), c.position().epochs()));
            } else {
                out.printf("%s: no valid checkpoint; restarts from epoch 1%n", t.id());
                resumed.add(TrialRun.fresh(t));
            }
        }
        out.flush();
        return resumed;
    }

    /** Built once, when first needed: a resume with nothing to run loads no model library. */
    private TrainerFactory trainers(SweepInputs in) {
        if (trainers == null) {
            trainers = SweepExecution.trainers(in);
        }
        return trainers;
    }

    private static String abbrev(String sha) {
        return sha == null ? "unknown" : sha.substring(0, Math.min(12, sha.length()));
    }
}
