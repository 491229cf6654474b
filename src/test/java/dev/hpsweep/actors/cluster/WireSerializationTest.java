package dev.hpsweep.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonCborSerializer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.typesafe.config.ConfigFactory;
import dev.hpsweep.journal.JsonLines;
import dev.hpsweep.space.TrialSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Wire messages through Akka's serialization, as Artery does it: the bytes that come back are the bytes that went. */
class WireSerializationTest {
    public record WireProbe(Map<String, Object> params, double[] values) implements Wire {
    }

    public record WireText(String json) implements Wire {
    }

    static final ActorTestKit testKit = ActorTestKit.create(ClusterSettings.SYSTEM,
        ClusterSettings.coordinator("127.0.0.1", 0).withFallback(ConfigFactory.load()));

    static final Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());

    /** The largest Artery frame: a message over it is dropped (akka.remote.artery.advanced.maximum-frame-size). */
    static final int MAXIMUM_FRAME_SIZE = 256 * 1024;

    static final double[] AWKWARD = {Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L), -0.0, 0.0,
        Double.MIN_VALUE, 1.0 / 3, Double.MAX_VALUE, Double.NEGATIVE_INFINITY, 0.1 + 0.2};

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    static byte[] toBinary(Object o) {
        // serialize(), not the serializer's toBinary: an ActorRef needs the transport information it sets
        return serialization.serialize(o).get();
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T o) {
        Serializer serializer = serialization.findSerializerFor(o);
        return (T) serialization.deserialize(toBinary(o), serializer.identifier(), Serializers.manifestFor(serializer, o))
            .get();
    }

    static void assertBitExact(double expected, Object actual, String what) {
        Double d = assertInstanceOf(Double.class, actual, what);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(d), what);
    }

    @Test
    void wireMessagesGoThroughJacksonCbor() {
        TestProbe<Wire> probe = testKit.createTestProbe();
        for (Object o : List.of(new Ack("c", 1, 2), new WireText("x"),
            new Packet("c", 0, 0, 1, "k", Map.of(), new byte[0], null, probe.getRef()))) {
            assertInstanceOf(JacksonCborSerializer.class, serialization.findSerializerFor(o), o.getClass().getName());
        }
    }

    @Test
    void aPacketRoundTripsWithItsActorRefHeaderAndBytes() {
        TestProbe<Wire> probe = testKit.createTestProbe();
        byte[] bytes = new byte[50_000];
        new Random(1).nextBytes(bytes);
        Packet p = new Packet("trial-0003#2", 7, 3, 5, "checkpoint", Map.of("file", "state.bin", "epoch", "4"), bytes,
            null, probe.getRef());
        Packet back = roundTrip(p);
        assertEquals(p.channel(), back.channel());
        assertEquals(p.seq(), back.seq());
        assertEquals(p.chunk(), back.chunk());
        assertEquals(p.chunks(), back.chunks());
        assertEquals(p.kind(), back.kind());
        assertEquals(p.header(), back.header());
        assertArrayEquals(bytes, back.bytes());
        assertNull(back.sha256());
        assertEquals(probe.getRef(), back.from());
        back.from().tell(new Ack("trial-0003#2", 7, 3));
        probe.expectMessage(new Ack("trial-0003#2", 7, 3));
        assertEquals(new Ack("c", Long.MAX_VALUE, 9), roundTrip(new Ack("c", Long.MAX_VALUE, 9)));
    }

    @Test
    void aFullChunkFitsInOneArteryFrame() {
        TestProbe<Wire> probe = testKit.createTestProbe();
        byte[] bytes = new byte[Outbox.CHUNK_BYTES];
        new Random(2).nextBytes(bytes);
        Map<String, String> header = Map.of("trial", "trial-0001", "file", "x".repeat(200));
        int size = toBinary(new Packet("trial-0001#1", Long.MAX_VALUE, 0, 1, "checkpoint", header, bytes,
            "0".repeat(64), probe.getRef())).length;
        // CBOR writes a byte array as it is, with a few bytes of length: no Base64 growth
        assertTrue(size < Outbox.CHUNK_BYTES + 1024, "serialized size " + size);
        assertTrue(size < MAXIMUM_FRAME_SIZE / 2 + 1024, "serialized size " + size);
    }

    @Test
    void doublesRoundTripBitExact() {
        WireProbe back = roundTrip(new WireProbe(Map.of(), AWKWARD));
        assertEquals(AWKWARD.length, back.values().length);
        for (int i = 0; i < AWKWARD.length; i++) {
            assertBitExact(AWKWARD[i], back.values()[i], "values[" + i + "]");
        }
    }

    /** Map<String, Object> has no types on the wire: what comes back is what Jackson reads from CBOR's own types. */
    @Test
    void anUntypedParamsMapKeepsDoublesBitExactButNotEveryNumberType() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("width", 16);
        params.put("seed", 1L << 40);
        params.put("small_long", 5L);
        params.put("float", 0.1f);
        params.put("whole_double", 2.0);
        params.put("optimizer", "adam");
        params.put("batch_norm", true);
        params.put("widths", List.of(8, 2.5));
        params.put("none", null);
        for (int i = 0; i < AWKWARD.length; i++) {
            params.put("d" + i, AWKWARD[i]);
        }
        Map<String, Object> back = roundTrip(new WireProbe(params, new double[0])).params();

        assertEquals(params.keySet(), back.keySet());
        assertEquals(16, back.get("width"));
        assertEquals(1L << 40, back.get("seed"));
        assertEquals(5, back.get("small_long"), "a Long that fits an int comes back an Integer");
        assertEquals(0.1f, back.get("float"), "CBOR keeps 32-bit floats");
        assertBitExact(2.0, back.get("whole_double"), "whole_double");
        assertEquals("adam", back.get("optimizer"));
        assertEquals(true, back.get("batch_norm"));
        assertEquals(List.of(8, 2.5), back.get("widths"));
        assertNull(back.get("none"));
        for (int i = 0; i < AWKWARD.length; i++) {
            assertBitExact(AWKWARD[i], back.get("d" + i), "d" + i);
        }
    }

    /** How the journal stores a trial's parameters (JsonLines.MAPPER), carried as a String. */
    @Test
    void trialParamsAsJournalJsonRoundTripExactly() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("epochs", 5);
        params.put("lr", 0.001);
        params.put("width", 16);
        params.put("seed", 1L << 40);
        params.put("third", 1.0 / 3);
        params.put("tiny", Double.MIN_VALUE);
        params.put("negative_zero", -0.0);
        params.put("optimizer", "adam");
        params.put("batch_norm", true);
        TrialSpec spec = new TrialSpec("trial-0001", 0, params, Map.of("width", 16));
        String json = JsonLines.MAPPER.writeValueAsString(spec.params());

        String carried = roundTrip(new WireText(json)).json();
        assertEquals(json, carried);
        Map<String, Object> back = JsonLines.MAPPER.readValue(carried, new TypeReference<LinkedHashMap<String, Object>>() {
        });
        assertEquals(spec.params(), back);
        assertEquals(List.copyOf(spec.params().keySet()), List.copyOf(back.keySet()), "key order kept");
        assertInstanceOf(Integer.class, back.get("epochs"));
        for (String key : List.of("lr", "third", "tiny", "negative_zero")) {
            assertBitExact((Double) spec.params().get(key), back.get(key), key);
        }
        // JSON has no NaN: the journal's mapper writes it as the string "NaN", which comes back a String
        String nan = JsonLines.MAPPER.writeValueAsString(Map.of("x", Double.NaN));
        assertEquals("NaN", JsonLines.MAPPER.readValue(nan, Map.class).get("x"));
    }
}
