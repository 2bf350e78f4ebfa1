package io.ast2graph.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MedianTest {
    @Test
    void oddCountTakesTheMiddleValueWhateverTheOrder() {
        assertThat(Median.of(List.of(95.7, 51.7, 60.0))).isEqualTo(60.0);
    }

    @Test
    void evenCountTakesTheUpperMiddleValueAMeasuredOne() {
        assertThat(Median.of(List.of(0.82, 1.43))).isEqualTo(1.43);
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Median.of(List.of())).hasMessageContaining("no values");
    }
}
