package dev.hpsweep.space;

import java.util.List;

/** The values one searched parameter may take. Values are Integer, Double, Boolean or String. */
public sealed interface Distribution
        permits Distribution.Choice, Distribution.Uniform, Distribution.LogUniform, Distribution.IntUniform {

    /** A finite list: a plain list or {@code {choice: [...]}} in the file; grid tries each, random picks one. */
    record Choice(List<Object> values) implements Distribution {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
        }
    }

    /** Real numbers uniform in [low, high) (random only). */
    record Uniform(double low, double high) implements Distribution {
        public Uniform {
            requireOrdered(low, high);
        }
    }

    /** Real numbers whose logarithm is uniform: exp(uniform(ln low, ln high)) (random only). */
    record LogUniform(double low, double high) implements Distribution {
        public LogUniform {
            if (!(low > 0)) {
                throw new IllegalArgumentException("low > 0 must hold for loguniform, but got low=" + low);
            }
            requireOrdered(low, high);
        }
    }

    /** Integers uniform in [low, high], both included (random only). */
    record IntUniform(int low, int high) implements Distribution {
        public IntUniform {
            requireOrdered(low, high);
        }
    }

    private static void requireOrdered(double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("low <= high must hold, but got low=" + low + ", high=" + high);
        }
    }
}
