package dev.hpsweep.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.space.TrialSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster's own messages through Akka's serialization (as Artery sends them), and trials and
 * epochs through the channel's JSON: what arrives is what was sent, to the bit.
 */
class WireMessagesTest {
    static final ActorTestKit testKit = ActorTestKit.create(ClusterSettings.SYSTEM,
        ClusterSettings.coordinator("127.0.0.1", 0).withFallback(ConfigFactory.load()));

    static final Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T o) {
        Serializer serializer = serialization.findSerializerFor(o);
        return (T) serialization.deserialize(serialization.serialize(o).get(), serializer.identifier(),
            Serializers.manifestFor(serializer, o)).get();
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void everyClusterProtocolRecordRoundTrips() {
        TestProbe<Wire> probe = testKit.createTestProbe();
        List<Wire> messages = List.of(
            new ClusterProtocol.Hello(probe.getRef(), "depth-width", "0123456789abcdef 1.0.0-M2.1",
                "search-spaces/x.yaml", "name: x\nseed: 42\n# ünïcödé\n", "a".repeat(64), "b".repeat(64)),
            new ClusterProtocol.Ready(probe.getRef(), "10.0.0.7:41234", 3),
            new ClusterProtocol.Refused(probe.getRef(), "10.0.0.7:41234", "its data differ: ..."),
            new ClusterProtocol.Leaving(probe.getRef()));
        for (Wire m : messages) {
            assertEquals(m, roundTrip(m), m.getClass().getSimpleName());
        }
    }

    @Test
    void anEpochWithAwkwardNumbersAndDiagnosticsComesBackBitExact() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_loss", Double.NaN);
        metrics.put("val_loss", -0.0);
        metrics.put("val_accuracy", 1.0 / 3);
        metrics.put("test_accuracy", Double.MIN_VALUE);
        metrics.put("test_loss", Double.POSITIVE_INFINITY);
        Map<String, List<Double>> diagnostics = Map.of("batch_loss", List.of(0.1 + 0.2, -0.0, Double.MAX_VALUE));
        EpochMetrics m = new EpochMetrics("trial-0003", 4, 10, metrics, 189, 48_209, 7.092500083, 1_796_146_817_602L,
            diagnostics);
        EpochMetrics back = WireJson.readEpoch(WireJson.write(m));
        assertEquals(m.trial(), back.trial());
        assertEquals(m.epoch(), back.epoch());
        assertEquals(m.epochs(), back.epochs());
        assertEquals(m.iterations(), back.iterations());
        assertEquals(m.samples(), back.samples());
        assertEquals(m.timeMillis(), back.timeMillis());
        assertEquals(Double.doubleToRawLongBits(m.seconds()), Double.doubleToRawLongBits(back.seconds()));
        assertEquals(List.copyOf(m.metrics().keySet()), List.copyOf(back.metrics().keySet()), "order kept");
        m.metrics().forEach((k, v) -> assertEquals(Double.doubleToRawLongBits(v),
            Double.doubleToRawLongBits(back.metrics().get(k)), k));
        for (int i = 0; i < 3; i++) {
            assertEquals(Double.doubleToRawLongBits(diagnostics.get("batch_loss").get(i)),
                Double.doubleToRawLongBits(back.diagnostics().get("batch_loss").get(i)), "batch_loss[" + i + "]");
        }
    }

    @Test
    void aTrialsParametersComeBackAsTheJournalGivesThem() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("depth", 6);
        params.put("width", 16);
        params.put("lr", 1e-3);
        params.put("l2", 0.1 + 0.2);
        params.put("momentum", -0.0);
        params.put("optimizer", "adam");
        params.put("batch_norm", true);
        params.put("epochs", 5);
        TrialSpec t = new TrialSpec("trial-0007", 6, params, Map.of("lr", 1e-3));
        TrialSpec back = WireJson.readTrial(WireJson.write(t));
        assertEquals(t, back);
        assertEquals(List.copyOf(params.keySet()), List.copyOf(back.params().keySet()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) back.params().get("momentum")));
        assertEquals(Integer.class, back.params().get("depth").getClass());
    }
}
