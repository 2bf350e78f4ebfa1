package io.ast2graph.common.observe;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One named yes/no question a probe asks, e.g. "kafka": can this process reach the brokers. A check that throws
 * counts as down, so a probe never fails open.
 */
public record HealthCheck(String name, BooleanSupplier test) {
    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(test, "test");
    }

    /** Runs the check; false if it says no or throws. */
    public boolean isUp() {
        try {
            return test.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
