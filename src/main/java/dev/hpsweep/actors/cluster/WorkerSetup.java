package dev.hpsweep.actors.cluster;

import dev.hpsweep.train.TrainerFactory;

/**
 * How a worker checks the sweep a coordinator announces and builds its trainers (the cli does
 * it: loading the search space and the data set is not the actors' business).
 */
@FunctionalInterface
public interface WorkerSetup {

    /** What this worker runs its trials with: trainers built from its own copy of the data, and its slots. */
    record Accepted(TrainerFactory trainers, int slots) {
    }

    /** This worker cannot take part in the sweep; the message says why, for both ends to print. */
    final class Refusal extends Exception {
        public Refusal(String reason) {
            super(reason);
        }
    }

    /** Blocks (reads the data set); called once per coordinator. */
    Accepted accept(ClusterProtocol.Hello hello) throws Refusal;
}
