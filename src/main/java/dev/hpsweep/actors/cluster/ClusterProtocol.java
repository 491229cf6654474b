package dev.hpsweep.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.receptionist.ServiceKey;

/**
 * The messages between a coordinator and its workers that are not about one trial (those travel
 * as {@link Packet}s on a per-attempt channel, through an {@link Outbox} and an {@link Inbox}). Plain records, marked
 * {@link Wire} so that Akka serializes them with Jackson.
 */
public final class ClusterProtocol {
    private ClusterProtocol() {
    }

    /** Workers register their {@code WorkerNode} under this key; the coordinator subscribes to it. */
    public static final ServiceKey<Wire> WORKERS = ServiceKey.create(Wire.class, "hpsweep-workers");

    /**
     * Coordinator to a worker it found: what the sweep is, so the worker can check that it has the
     * same build and data, and build its trainers from the same search space.
     *
     * @param spacePath  the search-space file's path, relative to the coordinator's working
     *                   directory where it lies under it (else absolute); the worker resolves it
     *                   against its own working directory
     * @param spaceText  the file's bytes, as UTF-8 text
     * @param spaceSha   the file's SHA-256
     * @param dataSha    the fingerprint of what the trials learn from (the data set, and any model they start from)
     * @param build      the coordinator's build: hpsweep's jar, the model's jar, the libraries' versions
     */
    public record Hello(ActorRef<Wire> coordinator, String sweep, String build, String spacePath, String spaceText,
                        String spaceSha, String dataSha) implements Wire {
    }

    /** Worker to coordinator: it checked the sweep and offers {@code slots} trials at once. */
    public record Ready(ActorRef<Wire> worker, String name, int slots) implements Wire {
    }

    /** Worker to coordinator: it cannot take part, and why. */
    public record Refused(ActorRef<Wire> worker, String name, String reason) implements Wire {
    }

    /** Worker to coordinator: it is leaving (SIGTERM); its trials come back with fresh checkpoints. */
    public record Leaving(ActorRef<Wire> worker) implements Wire {
    }

    /** Kinds of message on a trial's channel, coordinator to worker. */
    static final String START = "start";
    static final String DECISION = "decision";
    static final String INTERRUPT = "interrupt";
    static final String NOT_RECORDED = "not_recorded";
    /** Kinds of message on a trial's channel, worker to coordinator. */
    static final String EPOCH = "epoch";
    static final String CHECKPOINT = "checkpoint";
    static final String CHECKPOINT_FAILED = "checkpoint_failed";
    static final String MODEL = "model";
    static final String ENDED = "ended";

    /** A trial attempt's channel: {@code trial-0003#2}. */
    static String channel(String trial, int attempt) {
        return trial + "#" + attempt;
    }
}
