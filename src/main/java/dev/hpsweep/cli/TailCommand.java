package dev.hpsweep.cli;

import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.report.LeaderboardFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hpsweep tail NAME}: prints a sweep's leaderboard.log and follows it, like {@code tail -f},
 * until the line that ends the sweep or its interrupted run, when that is the file's last line
 * (so a resumed sweep is followed on).
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Follow a sweep's leaderboard log; exits when the sweep ends.")
final class TailCommand implements Callable<Integer> {

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
        Path log = SweepPaths.of(sweep, logs, logs).leaderboardLog();
        PrintWriter out = spec.commandLine().getOut();
        boolean announced = false;
        while (!Files.exists(log)) {
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
                Thread.sleep(pollMillis);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }
}
