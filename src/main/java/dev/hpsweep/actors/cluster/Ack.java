package dev.hpsweep.actors.cluster;

/** The receiver of {@code channel} has taken chunk {@code chunk} of message {@code seq}. */
public record Ack(String channel, long seq, int chunk) implements Wire {
}
