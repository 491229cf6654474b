package dev.hpsweep.train;

import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.journal.OsReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A trial's checkpoints: {@code checkpoints/<sweep>/<trial>/epoch-0005.ckpt} after 5 whole epochs,
 * {@code epoch-0005+b000123.ckpt} after 123 batches of epoch 6 (an interrupted epoch). Each is a
 * zip of {@code checkpoint.json} (what the caller wants kept beside the model: epoch, metric
 * history) and {@code trainer.bin} (the trainer's own state); zip entries carry CRCs, so a damaged
 * file is detected on reading. Files are written atomically; the newest {@code keepLast} are kept.
 */
public final class CheckpointStore {
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})(?:\\+b(\\d{6,}))?\\.ckpt");
    private static final String STATE = "checkpoint.json";
    private static final String TRAINER = "trainer.bin";

    private final Path dir;
    private final int keepLast;

    public CheckpointStore(Path dir, int keepLast) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keep_last >= 1 must hold, but got " + keepLast);
        }
        this.dir = dir;
        this.keepLast = keepLast;
    }

    /** Where a checkpoint stands: whole epochs done, and batches done of the next one. */
    public record Position(int epochs, int batches) implements Comparable<Position> {
        @Override
        public int compareTo(Position o) {
            return epochs != o.epochs ? Integer.compare(epochs, o.epochs) : Integer.compare(batches, o.batches);
        }

        String fileName() {
            return String.format("epoch-%04d", epochs) + (batches > 0 ? String.format("+b%06d", batches) : "") + ".ckpt";
        }
    }

    /** A checkpoint that read back intact. */
    public record Loaded(Path file, Position position, String stateJson) {
    }

    /** Writes a checkpoint of {@code trainer} at {@code position}, then deletes all but the newest keepLast. */
    public Path write(Position position, Trainer trainer, String stateJson) {
        Path file = dir.resolve(position.fileName());
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(STATE));
            zip.write(stateJson.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(TRAINER));
            trainer.save(new NonClosingOutputStream(zip));
            zip.closeEntry();
            zip.finish();
        });
        prune();
        return file;
    }

    /**
     * Stores a checkpoint another machine wrote (a cluster worker's, shipped to the coordinator)
     * under its own name, atomically, checks that it reads back intact, then deletes all but the
     * newest keepLast. The name must be one this class gives ({@code epoch-0005.ckpt}, ...).
     */
    public Path accept(String fileName, byte[] bytes) throws IOException {
        if (fileName.contains("/") || position(Path.of(fileName)).isEmpty()) {
            throw new IOException("not a checkpoint's name: '" + fileName + "'");
        }
        Path file = dir.resolve(fileName);
        AtomicFiles.write(file, bytes);
        try {
            verify(file);
        } catch (IOException | RuntimeException e) {
            // Not left under a checkpoint's name, where resume would try it.
            Files.deleteIfExists(file);
            throw e;
        }
        prune();
        return file;
    }

    /** Checkpoints on disk, newest first (by name; contents not checked). */
    public List<Path> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = new ArrayList<>(files.filter(p -> position(p).isPresent()).toList());
            found.sort(Comparator.comparing((Path p) -> position(p).orElseThrow()).reversed());
            return found;
        } catch (IOException e) {
            throw OsReason.failure("cannot list " + dir, e);
        }
    }

    /** Loads a checkpoint into a trainer to see that it can; throws with the reason when it cannot. */
    @FunctionalInterface
    public interface RestoreCheck {
        void check(Path file) throws IOException;
    }

    /**
     * The newest checkpoint that reads back intact and is not past {@code maxEpochs} whole epochs;
     * each one skipped is reported to {@code log} with the reason.
     */
    public Optional<Loaded> latestValid(int maxEpochs, Consumer<String> log) {
        return latestValid(maxEpochs, file -> { }, log);
    }

    /**
     * Like {@link #latestValid(int, Consumer)}, and the checkpoint must also pass {@code restorable}:
     * intact bytes can still be a state the trainer refuses (another format, another network), and
     * then the one before it is used, as for a damaged one.
     */
    public Optional<Loaded> latestValid(int maxEpochs, RestoreCheck restorable, Consumer<String> log) {
        for (Path file : list()) {
            Position pos = position(file).orElseThrow();
            if (pos.epochs() > maxEpochs) {
                log.accept("checkpoint " + file + " is ahead of the journal (epoch " + pos.epochs() + " > "
                    + maxEpochs + "); skipped");
                continue;
            }
            String state;
            try {
                state = verify(file);
            } catch (IOException | RuntimeException e) {
                log.accept("checkpoint " + file + " is unreadable (" + e.getMessage() + "); trying an older one");
                continue;
            }
            try {
                restorable.check(file);
                return Optional.of(new Loaded(file, pos, state));
            } catch (IOException | RuntimeException e) {
                log.accept("checkpoint " + file + " is intact but cannot be restored (" + e.getMessage()
                    + "); trying an older one");
            }
        }
        return Optional.empty();
    }

    /** Reads every entry (checking its CRC) and returns checkpoint.json's text. */
    static String verify(Path file) throws IOException {
        String state = null;
        boolean trainer = false;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] bytes = zip.readAllBytes();
                if (e.getName().equals(STATE)) {
                    state = new String(bytes, StandardCharsets.UTF_8);
                } else if (e.getName().equals(TRAINER)) {
                    trainer = bytes.length > 0;
                }
            }
        }
        if (state == null || !trainer) {
            throw new IOException("missing " + (state == null ? STATE : TRAINER));
        }
        return state;
    }

    /** Loads a checkpoint's trainer state into {@code trainer}. */
    public static void restore(Path file, Trainer trainer) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.getName().equals(TRAINER)) {
                    trainer.restore(new NoCloseInput(zip));
                    return;
                }
            }
        }
        throw new IOException(file + " has no " + TRAINER);
    }

    static Optional<Position> position(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Position(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
    }

    private void prune() {
        List<Path> all = list();
        for (int i = keepLast; i < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                throw OsReason.failure("cannot delete old checkpoint " + all.get(i), e);
            }
        }
    }

    /** DL4J closes the stream it restores from; the zip must stay open until we are done. */
    private static final class NoCloseInput extends java.io.FilterInputStream {
        NoCloseInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
