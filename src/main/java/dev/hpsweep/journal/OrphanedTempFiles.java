package dev.hpsweep.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The temp files of {@link AtomicFiles} writes that a kill cut short before their rename: in the
 * sweep's log directory (leaderboard.csv, provenance.json), its trials' directories (metrics.jsonl
 * rewrites, trial.json, model.zip) and its checkpoint directories. Not report/: {@code hpsweep
 * report} writes there without the sweep's lock, and may be doing so right now.
 */
public final class OrphanedTempFiles {
    private OrphanedTempFiles() {
    }

    /** Deletes them; call only while holding the sweep's lock. Returns what was deleted. */
    public static List<Path> remove(SweepPaths paths) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(paths.logDir());
        dirs.addAll(subdirectories(paths.logDir().resolve("trials")));
        dirs.addAll(subdirectories(paths.checkpointDir()));
        List<Path> removed = new ArrayList<>();
        for (Path dir : dirs) {
            removed.addAll(AtomicFiles.removeOrphanedTempFiles(dir));
        }
        return removed;
    }

    private static List<Path> subdirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw OsReason.failure("cannot list " + dir, e);
        }
    }
}
