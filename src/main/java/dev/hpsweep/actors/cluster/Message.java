package dev.hpsweep.actors.cluster;

import java.util.Map;
import java.util.Objects;

/** A whole message of a channel, reassembled. The body array is not copied: do not change it. */
public record Message(String kind, Map<String, String> header, byte[] body) {
    public Message {
        Objects.requireNonNull(kind, "kind");
        header = Map.copyOf(header);
        Objects.requireNonNull(body, "body (empty, never null)");
    }
}
