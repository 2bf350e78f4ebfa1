package io.ast2graph.writer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdaptiveBatchSizeTest {
    @Test
    void growsWhileFullBatchesCommitFast() {
        var size = new AdaptiveBatchSize(1000, 50, 20_000, 2000);
        size.committed(1000, 300, 0.3);
        assertThat(size.current()).isEqualTo(1500);
        size.committed(1500, 300, 0.3);
        assertThat(size.current()).isEqualTo(2250);
    }

    @Test
    void aSmallBatchSaysNothingAboutABiggerOne() {
        var size = new AdaptiveBatchSize(1000, 50, 20_000, 2000);
        size.committed(100, 10, 0.3);
        assertThat(size.current()).isEqualTo(1000);
    }

    @Test
    void halvesOnSlowCommitsFailuresAndMemoryPressureWithinBounds() {
        var size = new AdaptiveBatchSize(1000, 50, 20_000, 2000);
        size.committed(1000, 2500, 0.3);
        assertThat(size.current()).isEqualTo(500);
        size.failed();
        assertThat(size.current()).isEqualTo(250);
        size.committed(250, 10, 0.95);
        assertThat(size.current()).isEqualTo(125);
        for (int i = 0; i < 10; i++) {
            size.failed();
        }
        assertThat(size.current()).isEqualTo(50);
        for (int i = 0; i < 40; i++) {
            size.committed(size.current(), 10, 0.1);
        }
        assertThat(size.current()).isEqualTo(20_000);
    }

    @Test
    void rejectsInconsistentBounds() {
        assertThatThrownBy(() -> new AdaptiveBatchSize(10, 50, 100, 1000)).hasMessageContaining("min <= initial");
        assertThatThrownBy(() -> new AdaptiveBatchSize(50, 50, 100, 0)).hasMessageContaining("target");
    }
}
