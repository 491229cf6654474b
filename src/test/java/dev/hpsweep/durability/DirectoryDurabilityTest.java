package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sweep asks of the file system, seen with strace on a real child JVM: each directory it
 * makes is synced in its parent (or a power cut can lose it with everything in it), and a failed
 * directory sync, injected by strace as EIO, is an error rather than something ignored.
 */
class DirectoryDurabilityTest {
    private static final Pattern MKDIR = Pattern.compile("mkdir(?:at)?\\((?:AT_FDCWD, )?\"([^\"]+)\", \\d+\\) = 0");
    private static final Pattern FSYNC = Pattern.compile("fsync\\(\\d+<([^>]+)>");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsStrace() throws Exception {
        boolean available;
        try {
            available = new ProcessBuilder("strace", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            available = false;
        }
        assumeTrue(available, "strace is not installed");
    }

    private void tinySweep() throws Exception {
        SweepProcess.tinySweep(dir, "tiny", "");
    }

    @Test
    void everyDirectoryASweepMakesIsSyncedInItsParentAfterTheMkdir() throws Exception {
        tinySweep();
        Path trace = dir.resolve("trace.txt");
        int code = SweepProcess.runToEnd(dir, "child.log", List.of("strace", "-f", "-qq", "--seccomp-bpf", "-y",
            "-e", "trace=mkdir,mkdirat,fsync", "-o", trace.toString()), "run", "tiny.yaml");
        assertEquals(0, code, Files.readString(dir.resolve("child.log")));

        List<String> lines = Files.readAllLines(trace);
        String root = dir.toRealPath().toString();
        List<String> made = new ArrayList<>();
        List<String> unsynced = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MKDIR.matcher(lines.get(i));
            if (!m.find() || !m.group(1).startsWith(root)) {
                continue;
            }
            String created = m.group(1);
            made.add(created);
            String parent = Path.of(created).getParent().toString();
            boolean synced = false;
            for (int j = i + 1; j < lines.size() && !synced; j++) {
                Matcher f = FSYNC.matcher(lines.get(j));
                synced = f.find() && f.group(1).equals(parent);
            }
            if (!synced) {
                unsynced.add(created);
            }
        }
        for (String expected : List.of("/logs/tiny", "/logs/tiny/trials/trial-0001", "/checkpoints/tiny/trial-0001")) {
            assertTrue(made.contains(root + expected), expected + " not among the directories made: " + made);
        }
        assertEquals(List.of(), unsynced, "directories whose parent was not synced after the mkdir");
    }

    @Test
    void aFailingDirectorySyncStopsTheSweepNamingTheDirectoryAndTheReason() throws Exception {
        tinySweep();
        Path sweepLogs = dir.resolve("logs/tiny");
        Files.createDirectories(sweepLogs);
        // EIO for fsync of the sweep's log directory only (-P: calls on that path or an fd of it).
        int code = SweepProcess.runToEnd(dir, "child.log", List.of("strace", "-f", "-qq", "--seccomp-bpf",
            "-P", sweepLogs.toRealPath().toString(), "-e", "trace=fsync", "-e", "inject=fsync:error=EIO",
            "-o", dir.resolve("trace.txt").toString()), "run", "tiny.yaml");
        String out = Files.readString(dir.resolve("child.log"));
        assertEquals(1, code, out);
        assertTrue(out.contains("cannot sync directory " + sweepLogs.toRealPath() + ": Input/output error"), out);
        assertFalse(out.contains("\tat "), out);
    }
}
