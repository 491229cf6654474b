package dev.hpsweep.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelTest {
    /** Only goes into Packet.from; nothing is sent to it. */
    static final ActorRef<Wire> SELF = BehaviorTestKit.<Wire>create(Behaviors.empty()).getRef();

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs the outbox to idle through the inbox, acking each packet; returns the messages and counts packets. */
    static List<Message> drain(Outbox out, Inbox in, List<Packet> sent) {
        List<Message> got = new ArrayList<>();
        Optional<Packet> p = out.next();
        while (p.isPresent()) {
            sent.add(p.get());
            assertTrue(out.next().isEmpty(), "stop-and-wait: no second packet before the ack");
            Ack ack = in.ack(p.get());
            in.onPacket(p.get()).ifPresent(got::add);
            out.onAck(ack);
            p = out.next();
        }
        assertTrue(out.idle());
        return got;
    }

    @Test
    void emptyBodyIsOneEmptyChunk() {
        Outbox out = new Outbox("c", SELF);
        Inbox in = new Inbox("c");
        out.enqueue("hello", Map.of("trial", "trial-0001"), new byte[0]);
        assertFalse(out.idle());
        List<Packet> sent = new ArrayList<>();
        List<Message> got = drain(out, in, sent);
        assertEquals(1, sent.size());
        assertEquals(1, sent.get(0).chunks());
        assertEquals(SELF, sent.get(0).from());
        assertEquals(1, got.size());
        assertEquals("hello", got.get(0).kind());
        assertEquals(Map.of("trial", "trial-0001"), got.get(0).header());
        assertEquals(0, got.get(0).body().length);
    }

    @Test
    void bodyOfExactlyOneChunkIsOnePacketWithTheShaOnIt() {
        byte[] body = random(Outbox.CHUNK_BYTES, 1);
        Outbox out = new Outbox("c", SELF);
        Inbox in = new Inbox("c");
        out.enqueue("ckpt", Map.of(), body);
        List<Packet> sent = new ArrayList<>();
        List<Message> got = drain(out, in, sent);
        assertEquals(1, sent.size());
        assertNotNull(sent.get(0).sha256());
        assertArrayEquals(body, got.get(0).body());
    }

    @Test
    void oneMegabyteInSmallChunksArrivesExactly() {
        byte[] body = random(1_000_000, 2);
        Outbox out = new Outbox("c", SELF, 4096);
        Inbox in = new Inbox("c");
        out.enqueue("ckpt", Map.of("file", "model.zip"), body);
        List<Packet> sent = new ArrayList<>();
        List<Message> got = drain(out, in, sent);
        assertEquals((1_000_000 + 4095) / 4096, sent.size());
        for (Packet p : sent.subList(0, sent.size() - 1)) {
            assertNull(p.sha256(), "sha256 only on the last chunk");
            assertEquals(4096, p.bytes().length);
        }
        assertEquals(1, got.size());
        assertArrayEquals(body, got.get(0).body());
        assertEquals(Map.of("file", "model.zip"), got.get(0).header());
    }

    @Test
    void messagesArriveInTheOrderTheyWereEnqueued() {
        Outbox out = new Outbox("c", SELF, 1000);
        Inbox in = new Inbox("c");
        List<byte[]> bodies = List.of(random(2500, 3), new byte[0], random(999, 4), random(1000, 5), random(1, 6));
        for (int i = 0; i < bodies.size(); i++) {
            out.enqueue("m" + i, Map.of("i", Integer.toString(i)), bodies.get(i));
        }
        List<Message> got = drain(out, in, new ArrayList<>());
        assertEquals(bodies.size(), got.size());
        for (int i = 0; i < bodies.size(); i++) {
            assertEquals("m" + i, got.get(i).kind());
            assertEquals(Map.of("i", Integer.toString(i)), got.get(i).header());
            assertArrayEquals(bodies.get(i), got.get(i).body());
        }
    }

    @Test
    void duplicatePacketsAreAckedAgainButDeliverNothing() {
        byte[] body = random(3000, 7);
        Outbox out = new Outbox("c", SELF, 1000);
        Inbox in = new Inbox("c");
        out.enqueue("m", Map.of(), body);
        out.enqueue("n", Map.of(), random(10, 8));
        List<Message> got = new ArrayList<>();
        List<Packet> all = new ArrayList<>();
        Optional<Packet> p = out.next();
        while (p.isPresent()) {
            all.add(p.get());
            // the retry timer fires before the ack arrives: every packet goes twice, and the
            // message's first packet comes again once more after the whole message
            Packet again = out.resend().orElseThrow();
            assertEquals(p.get(), again);
            in.onPacket(p.get()).ifPresent(got::add);
            Ack second = in.ack(again);
            assertEquals(new Ack("c", again.seq(), again.chunk()), second);
            assertTrue(in.onPacket(again).isEmpty());
            out.onAck(second);
            p = out.next();
        }
        assertTrue(in.onPacket(all.get(0)).isEmpty(), "a chunk of a delivered message is a duplicate");
        assertEquals(new Ack("c", 0, 0), in.ack(all.get(0)));
        assertEquals(2, got.size());
        assertArrayEquals(body, got.get(0).body());
    }

    @Test
    void packetsOfAnotherChannelAreIgnored() {
        Outbox other = new Outbox("other", SELF);
        other.enqueue("m", Map.of(), random(10, 9));
        Inbox in = new Inbox("c");
        assertTrue(in.onPacket(other.next().orElseThrow()).isEmpty());
        Outbox out = new Outbox("c", SELF);
        out.enqueue("m", Map.of(), random(10, 10));
        assertTrue(in.onPacket(out.next().orElseThrow()).isPresent(), "the other channel's seq 0 did not count");
    }

    @Test
    void aChunkOutOfOrderIsRejectedNamingChannelAndSeq() {
        Outbox out = new Outbox("trial-0001#1", SELF, 10);
        out.enqueue("m", Map.of(), random(30, 11));
        out.next().orElseThrow();
        out.onAck(new Ack("trial-0001#1", 0, 0));
        Packet second = out.next().orElseThrow();
        assertEquals(1, second.chunk());
        Inbox in = new Inbox("trial-0001#1");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> in.onPacket(second));
        assertTrue(e.getMessage().contains("trial-0001#1") && e.getMessage().contains("seq 0")
            && e.getMessage().contains("out of order"), e.getMessage());
    }

    @Test
    void aBodyThatDoesNotMatchItsShaIsRejected() {
        Outbox out = new Outbox("c", SELF, 10);
        out.enqueue("m", Map.of(), random(15, 12));
        Inbox in = new Inbox("c");
        Packet first = out.next().orElseThrow();
        out.onAck(in.ack(first));
        Packet last = out.next().orElseThrow();
        byte[] flipped = first.bytes().clone();
        flipped[3] ^= 1;
        in.onPacket(new Packet(first.channel(), first.seq(), first.chunk(), first.chunks(), first.kind(),
            first.header(), flipped, first.sha256(), first.from()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> in.onPacket(last));
        assertTrue(e.getMessage().contains("channel c seq 0") && e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void staleDuplicateAndOtherChannelAcksAreIgnored() {
        Outbox out = new Outbox("c", SELF, 10);
        out.enqueue("m", Map.of(), random(25, 13));
        Packet p0 = out.next().orElseThrow();
        out.onAck(new Ack("other", 0, 0));
        out.onAck(new Ack("c", 1, 0));
        out.onAck(new Ack("c", 0, 1));
        assertTrue(out.next().isEmpty(), "still waiting for the ack of chunk 0");
        out.onAck(new Ack("c", 0, 0));
        Packet p1 = out.next().orElseThrow();
        assertEquals(1, p1.chunk());
        out.onAck(new Ack("c", 0, 0)); // the duplicate ack of chunk 0 must not acknowledge chunk 1
        assertTrue(out.next().isEmpty());
        assertEquals(p1, out.resend().orElseThrow());
        out.onAck(new Ack("c", 0, 1));
        Packet p2 = out.next().orElseThrow();
        assertEquals(2, p2.chunk());
        assertNotNull(p2.sha256());
        out.onAck(new Ack("c", 0, 2));
        assertTrue(out.idle());
        assertTrue(out.next().isEmpty());
        assertTrue(out.resend().isEmpty());
        out.onAck(new Ack("c", 0, 2));
        assertTrue(out.idle());
        assertEquals(25, p0.bytes().length + p1.bytes().length + p2.bytes().length);
    }

    @Test
    void aPacketWhoseChunkIsNotBelowItsChunkCountIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Packet("c", 0, 2, 2, "m", Map.of(), new byte[0], null, SELF));
        assertTrue(e.getMessage().startsWith("0 <= chunk < chunks must hold, but got chunk=2, chunks=2"), e.getMessage());
    }
}
