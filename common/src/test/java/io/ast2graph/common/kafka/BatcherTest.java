package io.ast2graph.common.kafka;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatcherTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void flushesWhenRowsReachTheLimit() {
        var batcher = new Batcher<String>(new ManualClock(), 10, 1_000_000, 1000);
        assertThat(batcher.add("a", 4, 10)).isEmpty();
        assertThat(batcher.add("b", 5, 10)).isEmpty();
        assertThat(batcher.add("c", 1, 10)).contains(List.of("a", "b", "c"));
        assertThat(batcher.isEmpty()).isTrue();
    }

    @Test
    void flushesWhenBytesReachTheLimitAndAHeavyItemAlone() {
        var batcher = new Batcher<String>(new ManualClock(), 1000, 100, 1000);
        assertThat(batcher.add("a", 1, 60)).isEmpty();
        assertThat(batcher.add("b", 1, 60)).contains(List.of("a", "b"));
        assertThat(batcher.add("huge", 1, 5000)).contains(List.of("huge"));
    }

    @Test
    void lingerTimeReleasesAPartialBatch() {
        var clock = new ManualClock();
        var batcher = new Batcher<String>(clock, 1000, 1_000_000, 200);
        batcher.add("a", 1, 1);
        assertThat(batcher.drainIfLingered()).isEmpty();
        assertThat(batcher.millisUntilLingered()).isEqualTo(200);
        clock.advance(Duration.ofMillis(199));
        assertThat(batcher.drainIfLingered()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(batcher.drainIfLingered()).contains(List.of("a"));
        assertThat(batcher.millisUntilLingered()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void removedItemsNoLongerCountTowardsTheLimits() {
        var batcher = new Batcher<String>(new ManualClock(), 10, 1_000_000, 1000);
        batcher.add("gone", 8, 1);
        batcher.removeIf("gone"::equals, s -> 8, s -> 1);
        assertThat(batcher.add("x", 8, 1)).isEmpty();
        assertThat(batcher.size()).isEqualTo(1);
    }

    @Test
    void theRowLimitCanChangeAndIsValidated() {
        var batcher = new Batcher<String>(new ManualClock(), 10, 1_000_000, 1000);
        batcher.setMaxRows(2);
        batcher.add("a", 1, 1);
        assertThat(batcher.add("b", 1, 1)).isPresent();
        assertThatThrownBy(() -> batcher.setMaxRows(0)).hasMessageContaining("at least 1");
    }

    @Test
    void backoffGrowsExponentiallyWithinItsBounds() {
        var backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(backoff.ceilingMillis(0)).isEqualTo(100);
        assertThat(backoff.ceilingMillis(3)).isEqualTo(800);
        assertThat(backoff.ceilingMillis(10)).isEqualTo(2000);
        assertThat(backoff.ceilingMillis(100)).isEqualTo(2000);
        for (int attempt = 0; attempt < 50; attempt++) {
            assertThat(backoff.delay(attempt).toMillis()).isBetween(1L, backoff.ceilingMillis(attempt));
        }
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("below");
    }
}
