package dev.hpsweep.schedule;

import java.util.List;
import java.util.Map;

/**
 * Several rules at once: every rule sees every epoch (so each one's state is the same as if it ran
 * alone), and the first rule in list order that says stop decides. Without a stop, the first
 * continue that carries a reason is passed on (an ASHA promotion, say).
 */
public final class FirstStopWins implements EarlyStopping {
    private final List<EarlyStopping> rules;

    public FirstStopWins(List<EarlyStopping> rules) {
        this.rules = List.copyOf(rules);
        if (this.rules.isEmpty()) {
            throw new IllegalArgumentException("at least one rule must be given, but got none");
        }
    }

    @Override
    public Decision onEpoch(String trial, int epoch, double objective, Map<String, Double> metrics) {
        Decision stop = null;
        Decision note = null;
        for (EarlyStopping rule : rules) {
            Decision d = rule.onEpoch(trial, epoch, objective, metrics);
            if (d.stop() && stop == null) {
                stop = d;
            } else if (!d.stop() && !d.reason().isEmpty() && note == null) {
                note = d;
            }
        }
        return stop != null ? stop : note != null ? note : Decision.CONTINUE;
    }
}
