package dev.hpsweep.actors.cluster;

import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The receiving end of a channel (see {@link Outbox}): puts each message's chunks together,
 * checks the body's SHA-256 and hands out whole messages in order. Packets it has already taken
 * are duplicates (a sender's retry) and are acknowledged again but otherwise ignored. Kind and
 * header are taken from chunk 0. Not thread-safe: one actor owns it.
 */
public final class Inbox {
    private final String channel;
    /** The message being put together, and its next chunk. */
    private long seq;
    private int chunk;
    private Packet first;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public Inbox(String channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /** Takes a packet; returns the ack to send (always, also for a duplicate, so a sender can move on). */
    public Ack ack(Packet p) {
        return new Ack(p.channel(), p.seq(), p.chunk());
    }

    /**
     * Takes a packet; returns the whole message once its last chunk arrived and its sha256
     * matched; duplicates and packets of other channels give empty.
     *
     * @throws IllegalStateException on a sha mismatch or a chunk out of order, naming the channel,
     *                               the seq and what was wrong; after a mismatch the message is
     *                               dropped and the channel waits for the next seq
     */
    public Optional<Message> onPacket(Packet p) {
        if (!channel.equals(p.channel()) || p.seq() < seq || (p.seq() == seq && p.chunk() < chunk)) {
            return Optional.empty();
        }
        if (p.seq() != seq || p.chunk() != chunk) {
            throw new IllegalStateException("channel " + channel + " seq " + p.seq() + ": chunk " + p.chunk()
                + " arrived out of order; expected chunk " + chunk + " of seq " + seq);
        }
        if (first != null && p.chunks() != first.chunks()) {
            throw new IllegalStateException("channel " + channel + " seq " + p.seq() + ": chunk " + p.chunk()
                + " says the message has " + p.chunks() + " chunks, chunk 0 said " + first.chunks());
        }
        if (first == null) {
            first = p;
        }
        body.writeBytes(p.bytes());
        if (!p.last()) {
            chunk++;
            return Optional.empty();
        }
        byte[] whole = body.toByteArray();
        body.reset();
        Packet head = first;
        first = null;
        chunk = 0;
        seq++;
        String sha = Outbox.sha256(whole);
        if (!sha.equals(p.sha256())) {
            throw new IllegalStateException("channel " + channel + " seq " + p.seq() + ": the body's sha256 is "
                + sha + " (" + whole.length + " bytes), the sender's is " + p.sha256());
        }
        return Optional.of(new Message(head.kind(), head.header(), whole));
    }

    public String channel() {
        return channel;
    }
}
