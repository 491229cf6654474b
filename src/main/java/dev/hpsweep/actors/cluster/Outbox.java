package dev.hpsweep.actors.cluster;

import akka.actor.typed.ActorRef;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sending end of a channel: cuts each message's body into chunks of at most
 * {@code chunkBytes} and hands them out one at a time, the next only once the previous one is
 * acknowledged (stop-and-wait), so messages arrive whole and in order however large they are.
 * Not thread-safe: one actor owns it.
 *
 * <p>A channel name stands for one sender and one receiver for as long as both live: the
 * receiving {@link Inbox} takes sequence numbers from 0 and treats a number it has seen as a
 * duplicate, so a new Outbox needs a new channel name (put the attempt in it).
 */
public final class Outbox {
    /** Chunk size: with CBOR's few bytes of framing, far below Artery's 256 KiB maximum-frame-size. */
    public static final int CHUNK_BYTES = 128 * 1024;

    private record Queued(long seq, String kind, Map<String, String> header, byte[] body, int chunks, String sha256) {
    }

    private final String channel;
    private final ActorRef<Wire> self;
    private final int chunkBytes;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long nextSeq;
    /** The chunk of the queue's head that is to go, or is in flight. */
    private int chunk;
    private Packet inFlight;

    public Outbox(String channel, ActorRef<Wire> self) {
        this(channel, self, CHUNK_BYTES);
    }

    public Outbox(String channel, ActorRef<Wire> self, int chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes >= 1 must hold, but got chunkBytes=" + chunkBytes);
        }
        this.channel = Objects.requireNonNull(channel, "channel");
        this.self = Objects.requireNonNull(self, "self");
        this.chunkBytes = chunkBytes;
    }

    /** Queues a message; {@code body} may be empty, never null, and is not copied: do not change it. */
    public void enqueue(String kind, Map<String, String> header, byte[] body) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body (empty, never null)");
        int chunks = Math.max(1, (int) ((body.length + (long) chunkBytes - 1) / chunkBytes));
        queue.add(new Queued(nextSeq++, kind, Map.copyOf(header), body, chunks, sha256(body)));
    }

    /**
     * The packet to send now: the first unacknowledged one, if it has not been handed out yet;
     * else empty. Stop-and-wait: one packet in flight.
     */
    public Optional<Packet> next() {
        Queued head = queue.peek();
        if (head == null || inFlight != null) {
            return Optional.empty();
        }
        int from = chunk * chunkBytes;
        byte[] bytes = Arrays.copyOfRange(head.body(), from, Math.min(head.body().length, from + chunkBytes));
        boolean last = chunk == head.chunks() - 1;
        inFlight = new Packet(channel, head.seq(), chunk, head.chunks(), head.kind(), head.header(), bytes,
            last ? head.sha256() : null, self);
        return Optional.of(inFlight);
    }

    /** The packet in flight, again (for a retry timer; the Inbox acks a duplicate); empty when none is. */
    public Optional<Packet> resend() {
        return Optional.ofNullable(inFlight);
    }

    /** Records an ack (ignores stale/duplicate/other-channel ones). */
    public void onAck(Ack ack) {
        if (inFlight == null || !channel.equals(ack.channel()) || ack.seq() != inFlight.seq()
            || ack.chunk() != inFlight.chunk()) {
            return;
        }
        inFlight = null;
        chunk++;
        if (chunk == queue.peek().chunks()) {
            queue.poll();
            chunk = 0;
        }
    }

    /** Nothing enqueued is unacknowledged. */
    public boolean idle() {
        return queue.isEmpty();
    }

    public String channel() {
        return channel;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
