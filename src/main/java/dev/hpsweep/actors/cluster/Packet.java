package dev.hpsweep.actors.cluster;

import akka.actor.typed.ActorRef;
import java.util.Map;
import java.util.Objects;

/**
 * One chunk of one message on a channel. {@code seq} numbers the channel's messages from 0,
 * {@code chunk} numbers this message's chunks from 0 to {@code chunks - 1} (an empty body is one
 * empty chunk). {@code kind} and {@code header} are repeated on every chunk. {@code sha256} (hex,
 * of the whole body) is set on the last chunk only (null otherwise). {@code from} is where the
 * {@link Ack} goes. The array is not copied: do not change it.
 */
public record Packet(String channel, long seq, int chunk, int chunks, String kind, Map<String, String> header,
                     byte[] bytes, String sha256, ActorRef<Wire> from) implements Wire {
    public Packet {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(kind, "kind");
        header = Map.copyOf(header);
        Objects.requireNonNull(bytes, "bytes");
        if (chunks < 1 || chunk < 0 || chunk >= chunks) {
            throw new IllegalArgumentException("0 <= chunk < chunks must hold, but got chunk=" + chunk
                + ", chunks=" + chunks + " (channel " + channel + ", seq " + seq + ")");
        }
    }

    boolean last() {
        return chunk == chunks - 1;
    }

    @Override
    public String toString() {
        return "Packet[channel=" + channel + ", seq=" + seq + ", chunk=" + chunk + "/" + chunks + ", kind=" + kind
            + ", header=" + header + ", " + bytes.length + " bytes, sha256=" + sha256 + ", from=" + from + "]";
    }
}
