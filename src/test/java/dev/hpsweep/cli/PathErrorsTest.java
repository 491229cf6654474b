package dev.hpsweep.cli;

import static dev.hpsweep.cli.CliTest.hpsweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.hpsweep.cli.CliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths and names a user gives that the file system refuses: the OS's reason, and exit code 2 where the input is at fault. */
class PathErrorsTest {
    static final String SPACE = """
        name: %s
        dataset: {name: europe-cities}
        model: {type: mlp}
        objective: {metric: val_accuracy, mode: max}
        epochs: 1
        fixed: {batch_size: 4096, depth: 1, width: 4}
        search: {strategy: grid, params: [{lr: [0.01]}]}
        """;

    @TempDir
    Path dir;

    private Path space(String name) throws Exception {
        Path file = dir.resolve("space.yaml");
        Files.writeString(file, SPACE.formatted(name));
        return file;
    }

    private Result run(Path logs) throws Exception {
        return hpsweep("run", space("locked").toString(), "--logs", logs.toString(),
            "--checkpoints", dir.resolve("checkpoints").toString());
    }

    @Test
    void aDanglingLogsSymlinkIsNamedWithItsTargetAndTheOsReasonAndExits2() throws Exception {
        Path logs = Files.createSymbolicLink(dir.resolve("logs"), dir.resolve("unmounted-disk"));

        Result r = run(logs);

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cannot lock " + logs.resolve("locked/.lock") + ": " + logs + ": File exists ("
            + logs + " is a symbolic link to " + dir.resolve("unmounted-disk") + ", which does not exist)"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aLogsRootWhoseNameIsTooLongForTheFileSystemSaysSoAndExits2() throws Exception {
        Result r = run(dir.resolve("l".repeat(300)));

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("File name too long"), r.err());
    }

    @Test
    void aLogsRootThatIsAFileSaysNotADirectoryAndExits2() throws Exception {
        Path logs = Files.writeString(dir.resolve("logs"), "not a directory");

        Result r = run(logs);

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("Not a directory"), r.err());
    }

    @Test
    void aReadOnlyLogsDirectorySaysPermissionDeniedAndExits1() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes into read-only directories");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("r-xr-xr-x"));

        Result r = run(logs);

        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("Permission denied"), r.err());
    }

    @Test
    void aSweepNameTooLongForTheFileSystemIsAnErrorAtItsLine() throws Exception {
        Path file = space("n".repeat(201));

        Result r = hpsweep("validate", file.toString());

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(file + ":1:7: 'name': a sweep name names directories, so it must be at most 200 "
            + "characters"), r.err());
    }

    @Test
    void aSweepNameOf200CharactersIsAccepted() throws Exception {
        Result r = hpsweep("validate", space("n".repeat(200)).toString());

        assertEquals(0, r.code(), r.err());
    }

    @ParameterizedTest(name = "{0} ../x")
    @ValueSource(strings = {"report", "resume", "tail"})
    void aNameOnTheCommandLineThatLeavesTheLogsRootIsRefusedLikeOneInAFile(String command) {
        Path logs = dir.resolve("logs");
        for (String name : new String[] {"../x", dir.resolve("x").toString()}) {
            Result r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> hpsweep(command, name, "--logs", logs.toString()));

            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("NAME: a sweep name names directories, so it must match [A-Za-z0-9._-]+"),
                r.err());
        }
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
