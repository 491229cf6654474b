package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ND4J's op names come from a generator with one SHA1PRNG per thread, and nothing else in the JVM
 * changes: the provider list is as it was, and {@code new SecureRandom()} is the platform's.
 */
class OpIdsTest {

    @Test
    void aFreshJvmGivesUuidThePerThreadGeneratorAndLeavesTheProvidersAsTheyWere() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
            Probe.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals("installed=true draws=1000 providers-unchanged=true default=" + new SecureRandom().getAlgorithm(),
            out);
    }

    @Test
    void switchedOffTheJvmKeepsItsSharedGenerator() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dhpsweep.op.ids=shared", "-cp",
            System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(out.startsWith("installed=false draws=0 providers-unchanged=true"), out);
    }

    @Test
    void eachThreadDrawsFromItsOwnSeededGenerator() throws Exception {
        OpIds.PerThread spi = new OpIds.PerThread();
        byte[][] drawn = new byte[4][];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int slot = 2 * t;
            threads[t] = new Thread(() -> {
                drawn[slot] = new byte[16];
                drawn[slot + 1] = new byte[16];
                spi.engineNextBytes(drawn[slot]);
                spi.engineNextBytes(drawn[slot + 1]);
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Set<String> distinct = new HashSet<>();
        for (byte[] b : drawn) {
            distinct.add(Arrays.toString(b));
            assertFalse(Arrays.equals(new byte[16], b), "all zeros");
        }
        assertEquals(4, distinct.size(), "two threads' generators gave a repeated draw");
        assertNotEquals(Arrays.toString(OpIds.seeded().generateSeed(8)), Arrays.toString(new byte[8]));
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        OpIds.seeded().nextBytes(a);
        OpIds.seeded().nextBytes(b);
        assertFalse(Arrays.equals(a, b), "two generators seeded alike");
    }

    /** Run in a fresh JVM: installs, draws 1000 UUIDs, and reports what the JVM's security setup looks like after. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            String before = Arrays.toString(Arrays.stream(Security.getProviders()).map(p -> p.getName()).toArray());
            boolean installed = OpIds.install();
            long start = OpIds.draws();
            Set<UUID> ids = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                UUID id = UUID.randomUUID();
                if (id.version() != 4 || !ids.add(id)) {
                    System.out.println("bad or repeated id " + id);
                    System.exit(1);
                }
            }
            String after = Arrays.toString(Arrays.stream(Security.getProviders()).map(p -> p.getName()).toArray());
            System.out.println("installed=" + installed + " draws=" + (OpIds.draws() - start) + " providers-unchanged="
                + before.equals(after) + " default=" + new SecureRandom().getAlgorithm());
        }
    }
}
