package dev.hpsweep.schedule;

import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpec;
import dev.hpsweep.space.TrialSpec;
import java.util.List;
import java.util.Optional;

/**
 * Where a sweep's next trial comes from. The supervisor asks {@link #next()} whenever a slot is
 * free, and reports what its trials do, so an adaptive source (TPE) can propose from the results
 * so far. Implementations are deterministic: what {@code next()} returns is a function of the
 * search space (its seed), how many trials were handed out before, and the calls reporting
 * results, so a resumed sweep can rebuild a source by replaying the journal. Not thread-safe.
 */
public interface TrialSource {

    /** The trial to start now, or empty when this source will hand out no more trials. */
    Optional<TrialSpec> next();

    /**
     * An epoch of a trial this source handed out.
     *
     * @param objective its objective value, oriented so that larger is better (a loss is negated)
     */
    void onEpoch(String trial, int epoch, double objective);

    /** A trial this source handed out has ended (completed, stopped or failed); it no longer runs. */
    void onFinished(String trial);

    /**
     * On resume: {@code trial} was handed out in an earlier run of the sweep, so it is not
     * handed out again and counts as running until {@link #onFinished}. Called in the order the
     * trials first started, before any {@link #next()}.
     */
    void handedOut(TrialSpec trial);

    /**
     * The source a search space asks for: TPE proposes adaptively after {@code initial} (its
     * startup trials); grid and random hand out {@code initial} in order.
     *
     * @param initial the trials known before the sweep starts (the expansion of the space)
     */
    static TrialSource of(SearchSpace space, List<TrialSpec> initial) {
        return space.search().strategy() == SearchSpec.Strategy.TPE ? new TpeTrials(space, initial)
            : new FixedTrials(initial);
    }
}
