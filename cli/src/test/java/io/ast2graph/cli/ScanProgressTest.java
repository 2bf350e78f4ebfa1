package io.ast2graph.cli;

import io.ast2graph.common.model.ScanEvent;
import io.ast2graph.common.model.ScanEvent.Stage;
import io.ast2graph.common.model.ScanEvent.Status;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Folding a scan's events, and what the progress line and {@code ast2graph status} make of them. */
class ScanProgressTest {
    static final long T0 = 1_790_000_000_000L;

    @Test
    void progressLineShowsPublishedParsedWrittenRateAndEta() {
        var p = new ScanProgress("s1");
        p.accept(event("s1", Stage.PRODUCER, Status.STARTED, "", 100, 0, T0));
        for (int i = 0; i < 40; i++) {
            p.accept(event("s1", Stage.PARSER, Status.DONE, "F" + i + ".java", 0, 10, T0 + 1));
        }
        for (int i = 0; i < 20; i++) {
            p.accept(event("s1", Stage.WRITER, Status.DONE, "F" + i + ".java", 0, 0, T0 + 2));
        }
        p.publishedLocally(60);

        // 20 finished in 10 s: 2 files/s, 80 to go: 40 s.
        assertThat(ProgressView.describe(p, 10.0))
            .isEqualTo("published 60/100, parsed 40, written 20/100, 0 failed, 2.0 files/s, ETA 40 s");

        p.accept(event("s1", Stage.PRODUCER, Status.PUBLISHED, "", 20, 0, T0 + 3));
        assertThat(p.complete()).isTrue();
        assertThat(ProgressView.describe(p, 10.0)).startsWith("published 20/20,").endsWith("ETA done");
    }

    @Test
    void keepsTheSlowestParsesOnceEachSlowestFirst() {
        var p = new ScanProgress("s1");
        for (int i = 1; i <= 15; i++) {
            p.accept(event("s1", Stage.PARSER, Status.DONE, "F" + i + ".java", 0, i * 1000L, T0));
        }
        // A replayed file is reported again; it must not take two places.
        p.accept(event("s1", Stage.PARSER, Status.DONE, "F15.java", 0, 15_000, T0));
        p.accept(event("other", Stage.PARSER, Status.DONE, "Slow.java", 0, 99_000_000, T0));

        assertThat(p.slowest()).extracting(ScanProgress.Timed::path)
            .containsExactly("F15.java", "F14.java", "F13.java", "F12.java", "F11.java", "F10.java", "F9.java",
                "F8.java", "F7.java", "F6.java");
    }

    @Test
    void statusShowsEachScanWithItsStateAndTheDetailsOfTheRunningOne() {
        var done = new ScanProgress("shop-1");
        done.accept(event("shop-1", Stage.PRODUCER, Status.STARTED, "", 3, 0, T0));
        done.accept(event("shop-1", Stage.PRODUCER, Status.PUBLISHED, "", 3, 0, T0 + 100));
        done.accept(event("shop-1", Stage.PARSER, Status.DONE, "A.java", 0, 2_000, T0 + 200));
        done.accept(event("shop-1", Stage.PARSER, Status.DONE_WITH_ERRORS, "B.java", 0, 7_500, T0 + 300));
        done.accept(new ScanEvent("shop-1", "shop", Stage.PARSER, Status.FAILED, "C.java", 0,
            "RejectedReferenceException", "reference 'C.java' climbs out", T0 + 400, "p1"));
        done.accept(event("shop-1", Stage.WRITER, Status.DONE, "A.java", 0, 0, T0 + 1_000));
        done.accept(event("shop-1", Stage.WRITER, Status.DONE, "B.java", 0, 0, T0 + 1_500));
        var running = new ScanProgress("shop-2");
        running.accept(event("shop-2", Stage.PRODUCER, Status.STARTED, "", 10, 0, T0 + 60_000));
        running.accept(event("shop-2", Stage.PARSER, Status.DONE, "X.java", 0, 12_000, T0 + 61_000));
        running.accept(event("shop-2", Stage.WRITER, Status.DONE, "X.java", 0, 0, T0 + 62_000));
        long now = T0 + 65_000;

        String shown = render(List.of(done, running), now, false);

        List<String> lines = shown.lines().toList();
        assertThat(lines.get(0)).startsWith("SCAN").contains("STATE", "PUBLISHED", "PARSED", "WRITTEN", "RATE", "TIME");
        assertThat(lines.get(1)).startsWith("shop-2").contains("running", "…/10", "1/10", "0.2 files/s", "ETA 45 s");
        assertThat(lines.get(2)).startsWith("shop-1").contains("complete, with failures", "2/3", "2.0 files/s", "took 2 s");
        assertThat(shown).contains("scan shop-2", "12.0 ms  X.java").doesNotContain("scan shop-1\n");

        String detailed = render(List.of(done), now, true);
        assertThat(detailed).contains("scan shop-1", "errors     {ParseProblem=1, RejectedReferenceException=1}",
            "failed     C.java (parser stage): RejectedReferenceException: reference 'C.java' climbs out",
            "problems   B.java", "7.5 ms  B.java", "2.0 ms  A.java");
        assertThat(detailed.indexOf("B.java")).isLessThan(detailed.lastIndexOf("A.java"));
    }

    @Test
    void aScanWithoutEventsForMinutesIsStalled() {
        var p = new ScanProgress("s1");
        p.accept(event("s1", Stage.PRODUCER, Status.STARTED, "", 10, 0, T0));

        assertThat(StatusCommand.state(p, T0 + 60_000)).isEqualTo("running");
        assertThat(StatusCommand.state(p, T0 + StatusCommand.STALLED_AFTER.toMillis() + 1)).isEqualTo("stalled");
    }

    @Test
    void sinceTakesANumberAndAUnit() {
        assertThat(StatusCommand.parseDuration("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(StatusCommand.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(StatusCommand.parseDuration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> StatusCommand.parseDuration("yesterday"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--since").hasMessageContaining("24h");
    }

    private static String render(List<ScanProgress> scans, long now, boolean allDetails) {
        var out = new ByteArrayOutputStream();
        StatusCommand.render(new PrintStream(out, true, StandardCharsets.UTF_8), scans, now, 10, allDetails);
        return out.toString(StandardCharsets.UTF_8);
    }

    static ScanEvent event(String scan, Stage stage, Status status, String path, long count, long micros, long time) {
        return new ScanEvent(scan, "shop", stage, status, path, count,
            status == Status.DONE_WITH_ERRORS ? "ParseProblem" : "", status == Status.DONE_WITH_ERRORS ? "';' expected" : "",
            time, "w", 0, 0, 0, micros, micros);
    }
}
