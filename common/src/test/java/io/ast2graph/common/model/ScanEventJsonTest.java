package io.ast2graph.common.model;

import io.ast2graph.common.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ScanEventJsonTest {
    @Test
    void roundTripsTheWorkFigures() {
        var event = new ScanEvent("s1", "repo", ScanEvent.Stage.PARSER, ScanEvent.Status.DONE, "A.java", 0, "", "",
            1_000, "w/parser-0", 42, 7, 6, 1_500, 2_000);

        assertThat(Json.read(Json.write(event), ScanEvent.class)).isEqualTo(event);
    }

    @Test
    void readsAnEventFromBeforeTheWorkFiguresAsZero() {
        String old = """
            {"scanId":"s1","repo":"repo","stage":"WRITER","status":"DONE","path":"A.java","count":0,
             "errorType":"","detail":"","timeMillis":5,"worker":"w/writer-1"}""";

        var event = Json.read(old.getBytes(StandardCharsets.UTF_8), ScanEvent.class);

        assertThat(event).isEqualTo(new ScanEvent("s1", "repo", ScanEvent.Stage.WRITER, ScanEvent.Status.DONE,
            "A.java", 0, "", "", 5, "w/writer-1"));
        assertThat(event.busyMicros()).isZero();
    }

    @Test
    void anOlderReaderIgnoresTheNewFields() {
        record OldScanEvent(String scanId, String repo, ScanEvent.Stage stage, ScanEvent.Status status, String path,
                            long count, String errorType, String detail, long timeMillis, String worker) {}
        var event = new ScanEvent("s1", "repo", ScanEvent.Stage.PARSER, ScanEvent.Status.DONE, "A.java", 0, "", "",
            1_000, "w", 42, 7, 6, 1_500, 2_000);

        assertThat(Json.read(Json.write(event), OldScanEvent.class).path()).isEqualTo("A.java");
    }
}
