package io.ast2graph.parser;

import io.ast2graph.common.model.GraphFragment;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimedParserTest {
    private static byte[] bigClass(int fields) {
        StringBuilder source = new StringBuilder("class Big {\n");
        for (int i = 0; i < fields; i++) {
            source.append("  int f").append(i).append(" = ").append(i).append(" + (").append(i).append(" * 2);\n");
        }
        return source.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFileOverTheLimitIsReportedAndTheNextFileParsesOnAFreshThread() throws Exception {
        try (var parser = new TimedParser(new FragmentBuilder(), Duration.ofMillis(1), 5)) {
            assertThatThrownBy(() -> parser.build("s", "r", "Big.java", "x", 1, bigClass(50_000)))
                .isInstanceOf(TimedParser.ParseTimeoutException.class)
                .hasMessageContaining("Big.java").hasMessageContaining("--parse-timeout");
        }
        try (var parser = new TimedParser(new FragmentBuilder(), Duration.ofSeconds(30), 5)) {
            GraphFragment small = parser.build("s", "r", "A.java", "x", 1, "class A { void m() {} }".getBytes(StandardCharsets.UTF_8));
            assertThat(small.nodes()).anySatisfy(n -> assertThat(n.id()).endsWith("A#m()"));
        }
    }

    @Test
    void tooManyAbandonedParsesStopTheWorker() {
        var parser = new TimedParser(new FragmentBuilder(), Duration.ofMillis(1), 0);
        try {
            assertThatThrownBy(() -> parser.build("s", "r", "Big.java", "x", 1, bigClass(200_000)))
                .isInstanceOf(io.ast2graph.common.kafka.FatalWorkerException.class)
                .hasMessageContaining("abandoned parses");
        } finally {
            parser.close();
        }
    }
}
