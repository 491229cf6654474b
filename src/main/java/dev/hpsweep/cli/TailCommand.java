package dev.hpsweep.cli;

import dev.hpsweep.journal.OsReason;
import dev.hpsweep.journal.SweepLock;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.report.LeaderboardFormat;
import dev.hpsweep.space.InputException;
import dev.hpsweep.space.SweepName;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hpsweep tail NAME}: prints a sweep's leaderboard.log and follows it, like {@code tail -f},
 * until the line that ends the sweep or its interrupted run, when that is the file's last line
 * (so a resumed sweep is followed on), or until no process holds the sweep's lock any more (its
 * process died, e.g. by kill -9), which it says, with how to resume.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Follow a sweep's leaderboard log; exits when the sweep ends or its process is gone.")
final class TailCommand implements Callable<Integer> {
    /** How often, while the log is quiet, tail looks whether a process still holds the sweep. */
    private static final long HOLDER_CHECK_MILLIS = 1000;

    @Parameters(index = "0", paramLabel = "NAME", description = "the sweep's name")
    String sweep;

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "logs", description = "root of the logs (default: ${DEFAULT-VALUE})")
    Path logs;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "250", hidden = true)
    long pollMillis;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        SweepName.checkArgument("NAME", sweep);
        SweepPaths paths = SweepPaths.of(sweep, logs, logs);
        Path log = paths.leaderboardLog();
        PrintWriter out = spec.commandLine().getOut();
        boolean announced = false;
        while (!Files.exists(log)) {
            // Only a run that holds the sweep's lock but has not written its log yet is worth waiting for.
            if (!Files.isDirectory(paths.logDir()) || !SweepLock.isHeld(paths.logDir())) {
                throw new InputException("NAME", 0, 0, null, "no sweep '" + sweep + "' in " + logs
                    + (Files.isDirectory(paths.logDir()) ? " (" + paths.logDir() + " has no leaderboard.log, and no "
                    + "process is running it)" : "") + "; " + existing());
            }
            if (!announced) {
                spec.commandLine().getErr().println("waiting for " + log + " ...");
                spec.commandLine().getErr().flush();
                announced = true;
            }
            Thread.sleep(pollMillis);
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            StringBuilder partial = new StringBuilder();
            boolean ended = false;
            boolean holderGone = false;
            long lastHolderCheck = 0;
            byte[] buf = new byte[8192];
            while (true) {
                int n = file.read(buf);
                if (n > 0) {
                    partial.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        out.println(line);
                        ended = LeaderboardFormat.isEndLine(line);
                    }
                    out.flush();
                    continue;
                }
                if (ended && partial.length() == 0) {
                    return ExitCodes.OK;
                }
                if (holderGone) {
                    // Read to the end once more after the holder was gone, so its last lines are shown.
                    if (partial.length() > 0) {
                        out.println(partial);
                    }
                    out.println("hpsweep: sweep '" + sweep + "' is not running: no process holds " + paths.logDir()
                        .resolve(".lock") + " and its log has no end line (its process died); continue it with: "
                        + "bin/hpsweep resume " + sweep);
                    out.flush();
                    return ExitCodes.FAILURE;
                }
                long now = System.currentTimeMillis();
                if (now - lastHolderCheck >= HOLDER_CHECK_MILLIS) {
                    lastHolderCheck = now;
                    holderGone = !SweepLock.isHeld(paths.logDir());
                    if (holderGone) {
                        continue;
                    }
                }
                Thread.sleep(pollMillis);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** The sweeps under --logs, for an error about one that is not there. */
    private String existing() {
        if (!Files.isDirectory(logs)) {
            return logs + " does not exist (give --logs where the sweep's logs are)";
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(logs)) {
            dirs.filter(d -> Files.exists(d.resolve("leaderboard.log")) || Files.exists(d.resolve("journal.jsonl")))
                .map(d -> d.getFileName().toString()).sorted().forEach(names::add);
        } catch (IOException e) {
            return "cannot list " + logs + ": " + OsReason.of(e, logs);
        }
        if (names.isEmpty()) {
            return logs + " holds no sweeps";
        }
        int shown = Math.min(names.size(), 20);
        return "sweeps there: " + String.join(", ", names.subList(0, shown))
            + (names.size() > shown ? " and " + (names.size() - shown) + " more" : "");
    }
}
