package dev.hpsweep.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileModesTest {
    @TempDir
    Path dir;

    @Test
    void aFileWrittenAtomicallyGetsTheModeOfAnyNewFileNotTheTempFiles0600() throws Exception {
        // Java cannot read the umask; a file created the ordinary way shows what it gives.
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = dir.resolve("leaderboard.csv");

        AtomicFiles.write(atomic, "rank,trial\n");

        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
            PosixFilePermissions.toString(Files.getPosixFilePermissions(atomic)));
    }
}
