package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bench --only buffers} counts, and hpsweep's trainer registers fewer per batch than the bare DL4J loop. */
class BenchBuffersTest {

    @Test
    void printsRegistrationsPerBatchForTheBareLoopTheTrainerAndOneBatchsRows() {
        CliTest.Result r = CliTest.hpsweep("bench", "--only", "buffers");
        assertEquals(0, r.code(), r.err());
        double bare = perBatch(r.out(), "bare DL4J loop, one epoch");
        double trainer = perBatch(r.out(), "hpsweep trainer, one epoch");
        assertTrue(trainer > 0 && trainer < bare, "DL4J's standard update path takes fewer views: " + r.out());
        Matcher rows = Pattern.compile("getRows (\\d+), Rows.gather (\\d+)").matcher(r.out());
        assertTrue(rows.find(), r.out());
        assertTrue(Long.parseLong(rows.group(1)) >= 512 && Long.parseLong(rows.group(2)) <= 4, r.out());
    }

    @Test
    void anUnknownModelForTheConcurrencyBenchmarkExits2NamingTheKnownOnes() {
        CliTest.Result r = CliTest.hpsweep("bench", "--only", "concurrency", "--model", "vgg");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("Invalid value for option '--model'") && r.err().contains("[mlp, resnet18]"), r.err());
        assertTrue(!r.out().contains("depth 6"), "nothing measured: " + r.out());
    }

    private static double perBatch(String out, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what) + "[^:]*: ([0-9.]+) registrations per batch").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }
}
