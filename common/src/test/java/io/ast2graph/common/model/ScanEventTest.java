package io.ast2graph.common.model;

import io.ast2graph.common.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ScanEventTest {
    @Test
    void roundTripsWithItsDuration() {
        var event = new ScanEvent("s-1", "shop", ScanEvent.Stage.PARSER, ScanEvent.Status.DONE, "A.java", 0, "", "",
            1_790_000_000_000L, "parser-1", 120, 40, 38, 1234, 1500);

        assertThat(Json.read(Json.write(event), ScanEvent.class)).isEqualTo(event);
    }

    @Test
    void anEventOfAnOlderVersionWithoutDurationReadsAsUnmeasured() {
        String older = """
            {"scanId":"s-1","repo":"shop","stage":"WRITER","status":"DONE","path":"A.java","count":0,
             "errorType":"","detail":"","timeMillis":5,"worker":"w"}""";

        ScanEvent event = Json.read(older.getBytes(StandardCharsets.UTF_8), ScanEvent.class);

        assertThat(event.parseMicros()).isZero();
        assertThat(event.busyMicros()).isZero();
        assertThat(event.path()).isEqualTo("A.java");
        assertThat(event.timeMillis()).isEqualTo(5);
    }

    @Test
    void anEventOfANewerVersionWithUnknownFieldsStillReads() {
        String newer = """
            {"scanId":"s-1","stage":"PRODUCER","status":"STARTED","count":7,"timeMillis":5,"parseMicros":0,
             "somethingNew":{"a":1}}""";

        ScanEvent event = Json.read(newer.getBytes(StandardCharsets.UTF_8), ScanEvent.class);

        assertThat(event.count()).isEqualTo(7);
        assertThat(event.repo()).isEmpty();
    }
}
