package dev.hpsweep.schedule;

import java.util.Objects;

/** The answer to a finished epoch: go on, or stop the trial (with the reason people will read). */
public record Decision(boolean stop, String reason) {
    public static final Decision CONTINUE = new Decision(false, "");

    public Decision {
        Objects.requireNonNull(reason, "reason");
    }

    public static Decision stop(String reason) {
        return new Decision(true, reason);
    }
}
