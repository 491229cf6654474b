package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.durability.DurabilityTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temp files a write killed before its rename leaves (the names AtomicFiles gives them:
 * {@code .<target><digits>.tmp}) are deleted by the sweep's next run or resume, under its lock.
 */
class TempFilesTest {
    @TempDir
    Path dir;

    private void tinySweep() throws Exception {
        SweepProcess.tinySweep(dir, "tiny", "");
    }

    private static Path plant(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "half a write");
        return file;
    }

    @Test
    void resumeDeletesTheTempFilesOfKilledWritesBesideTheJournalInTrialsAndInCheckpoints() throws Exception {
        tinySweep();
        assertEquals(0, DurabilityTest.hpsweep(dir, "run", "tiny.yaml").code());
        List<Path> orphans = List.of(
            plant(dir.resolve("logs/tiny/.leaderboard.csv8146318471153641925.tmp")),
            plant(dir.resolve("logs/tiny/.provenance.json31.tmp")),
            plant(dir.resolve("logs/tiny/trials/trial-0001/.metrics.jsonl2296120044.tmp")),
            plant(dir.resolve("logs/tiny/trials/trial-0001/.model.zip77.tmp")),
            plant(dir.resolve("checkpoints/tiny/trial-0001/.epoch-0001.ckpt5523.tmp")));
        // Not the sweep's: report/ is written by 'hpsweep report', which takes no lock; and a file
        // of the user's that only looks a little like ours.
        Path report = plant(dir.resolve("logs/tiny/report/.report.html12.tmp"));
        Path notOurs = plant(dir.resolve("logs/tiny/notes.tmp"));

        Result r = DurabilityTest.hpsweep(dir, "resume", "tiny");
        assertEquals(0, r.code(), r.out() + r.err());
        for (Path orphan : orphans) {
            assertFalse(Files.exists(orphan), orphan + " is still there");
        }
        assertTrue(r.out().contains("removed 5 temp file(s) left by writes that were cut short"), r.out());
        assertTrue(Files.exists(report) && Files.exists(notOurs));
    }

    @Test
    void runDeletesTheTempFileOfAWriteKilledBeforeTheJournalExisted() throws Exception {
        tinySweep();
        // Killed while writing provenance.json, the sweep's first file: there is no journal yet.
        Path orphan = plant(dir.resolve("logs/tiny/.provenance.json4410.tmp"));
        Result r = DurabilityTest.hpsweep(dir, "run", "tiny.yaml");
        assertEquals(0, r.code(), r.out() + r.err());
        assertFalse(Files.exists(orphan));
    }
}
