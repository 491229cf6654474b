package dev.hpsweep.actors.cluster;

/** Marker for messages that cross JVMs; bound to Jackson (CBOR) in {@link ClusterSettings}. */
public interface Wire {
}
