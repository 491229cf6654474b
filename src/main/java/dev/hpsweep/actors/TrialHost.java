package dev.hpsweep.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import java.nio.file.Path;

/**
 * A place other than this JVM where trials run: a cluster worker. The supervisor spawns, for each
 * trial it places there, the actor {@link #trial} gives; that actor stands for the trial here. It
 * takes {@link TrialActor.Command}s (Interrupt, EpochNotRecorded), tells the aggregator the trial's
 * epochs and checkpoints as a TrialActor does (its checkpoints and model written here, under
 * {@code policy.dir()} and {@code modelFile}), and ends with {@link SweepSupervisor.TrialEnded}, or
 * with {@link SweepSupervisor.TrialLost} when the attempt ended without finishing the trial.
 */
public interface TrialHost {

    /** What a trial placed on a host needs; {@code attempt} counts this process's starts of it, from 1. */
    record Launch(TrialRun run, int attempt, TrialActor.CheckpointPolicy policy, Path modelFile,
                  ActorRef<MetricsAggregator.Command> aggregator, ActorRef<SweepSupervisor.Command> supervisor) {
    }

    /** The actor standing for {@code launch}'s trial; spawned by the supervisor. */
    Behavior<Object> trial(Launch launch);
}
