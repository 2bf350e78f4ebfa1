package io.ast2graph.bench;

import java.util.List;

/** The median of a benchmark's rounds: robust to the one round another session's build slowed down. */
final class Median {
    private Median() {}

    /** The middle value; of an even count, the upper of the two middle values (a value that was measured). */
    static double of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take the median of");
        }
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
