package io.ast2graph.producer;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanIdTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T05:30:00.789Z"), ZoneId.of("Europe/Paris"));

    @Test
    void namesRepoUtcSecondAndFourHexDigits() {
        assertThat(ScanId.next("shop", clock, new Random(42) {
            @Override
            public int nextInt(int bound) {
                return 0x3fa;
            }
        })).isEqualTo("shop-20261122T053000Z-03fa");
        assertThat(ScanId.next("shop", clock)).matches("shop-20261122T053000Z-[0-9a-f]{4}");
    }

    @Test
    void blankRepoIsRejected() {
        assertThatThrownBy(() -> ScanId.next(" ", clock)).hasMessageContaining("--repo");
    }
}
