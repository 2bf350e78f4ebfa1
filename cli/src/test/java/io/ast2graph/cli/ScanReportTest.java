package io.ast2graph.cli;

import io.ast2graph.common.model.ScanEvent;
import io.ast2graph.common.model.ScanEvent.Stage;
import io.ast2graph.common.model.ScanEvent.Status;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScanReportTest {
    private static final String SCAN = "scan-1";

    private static ScanEvent producer(Status status, long count, long time) {
        return new ScanEvent(SCAN, "r", Stage.PRODUCER, status, "", count, "", "", time, "producer");
    }

    private static ScanEvent parsed(String path, long time, String worker, long lines, long parseMicros, long busyMicros) {
        return new ScanEvent(SCAN, "r", Stage.PARSER, Status.DONE, path, 0, "", "", time, worker,
            lines, 3, 2, parseMicros, busyMicros);
    }

    private static ScanEvent written(String path, long time, String worker, long busyMicros) {
        return new ScanEvent(SCAN, "r", Stage.WRITER, Status.DONE, path, 0, "", "", time, worker, 0, 3, 2, 0, busyMicros);
    }

    @Test
    void foldsFilesLinesRowsTimesAndWorkerEfficiency() {
        var report = new ScanReport(SCAN);
        report.accept(producer(Status.STARTED, 0, 10_000));
        report.accept(producer(Status.PUBLISHED, 3, 10_500));
        report.accept(parsed("A.java", 11_000, "w/parser-0", 100, 2_000, 500_000));
        report.accept(parsed("B.java", 11_500, "w/parser-1", 50, 9_000, 250_000));
        report.accept(parsed("C.java", 12_000, "w/parser-0", 10, 1_000, 500_000));
        // A replayed parse of A is one file, not two; the last report of it wins.
        report.accept(parsed("A.java", 12_000, "w/parser-1", 100, 3_000, 100_000));
        report.accept(written("A.java", 13_000, "w/writer-0", 1_000_000));
        report.accept(written("B.java", 13_000, "w/writer-0", 1_000_000));
        report.accept(written("C.java", 14_000, "w/writer-0", 1_000_000));
        report.accept(new ScanEvent("other-scan", "r", Stage.WRITER, Status.DONE, "X.java", 0, "", "", 20_000, "w", 0, 99, 99, 0, 0));

        ScanReport.Report r = report.build("r", 1, 2_000, 14_000);

        assertThat(r.files()).isEqualTo(new ScanReport.Files(3, 3, 3, 0, 0, 1));
        assertThat(r.lines()).isEqualTo(160);
        assertThat(r.nodes()).isEqualTo(9);
        assertThat(r.relationships()).isEqualTo(6);
        assertThat(r.graphNodes()).isEqualTo(-1);
        assertThat(r.totalSeconds()).isEqualTo(4.0);
        assertThat(r.startupSeconds()).isEqualTo(2.0);
        assertThat(r.stages().get("publish")).isEqualTo(new ScanReport.StageTime(0.5, 0));
        assertThat(r.stages().get("parse")).isEqualTo(new ScanReport.StageTime(2.0, 0.85));
        assertThat(r.stages().get("write")).isEqualTo(new ScanReport.StageTime(4.0, 3.0));
        assertThat(r.throughput()).isEqualTo(new ScanReport.Throughput(0.75, 40, 3.75));
        assertThat(r.parseMillis().p50()).isEqualTo(3.0);
        assertThat(r.parseMillis().p99()).isEqualTo(9.0);
        assertThat(r.parseMillis().max()).isEqualTo(9.0);
        assertThat(r.workers()).containsExactly(
            new ScanReport.WorkerTime("w/parser-0", "parser", 1, 0.5, 2.0, 0.25),
            new ScanReport.WorkerTime("w/parser-1", "parser", 2, 0.35, 2.0, 0.175),
            new ScanReport.WorkerTime("w/writer-0", "writer", 3, 3.0, 4.0, 0.75));
        assertThat(r.slowestFiles()).extracting(ScanReport.SlowFile::path).containsExactly("B.java", "A.java", "C.java");
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void groupsErrorsByTypeWithExamplesAndCountsFailedFilesOnce() {
        var report = new ScanReport(SCAN);
        report.accept(producer(Status.STARTED, 0, 0));
        report.accept(producer(Status.PUBLISHED, 9, 1));
        for (int i = 0; i < 7; i++) {
            report.accept(new ScanEvent(SCAN, "r", Stage.PARSER, Status.DONE_WITH_ERRORS, "Broken" + i + ".java", 0,
                "ParseProblem", "Parse error at line " + i, 2, "w/parser-0", 1, 1, 0, 10, 10));
        }
        report.accept(new ScanEvent(SCAN, "r", Stage.PARSER, Status.FAILED, "Escape.java", 0,
            "RejectedReferenceException", "escapes the source root", 3, "w/parser-0"));
        report.accept(new ScanEvent(SCAN, "r", Stage.PARSER, Status.FAILED, "Escape.java", 0,
            "RejectedReferenceException", "escapes the source root", 4, "w/parser-1"));

        ScanReport.Report r = report.build("r", 0, 0, 10);

        assertThat(r.files().withProblems()).isEqualTo(7);
        assertThat(r.files().failed()).isEqualTo(1);
        assertThat(r.errors()).extracting(ScanReport.ErrorType::type, ScanReport.ErrorType::count)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("ParseProblem", 7L),
                org.assertj.core.groups.Tuple.tuple("RejectedReferenceException", 1L));
        assertThat(r.errors().getFirst().examples()).hasSize(ScanReport.EXAMPLES_PER_ERROR)
            .first().isEqualTo(new ScanReport.ErrorExample("Broken0.java", "parser", "Parse error at line 0"));
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> hundred = LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(ScanReport.percentile(hundred, 50)).isEqualTo(50);
        assertThat(ScanReport.percentile(hundred, 99)).isEqualTo(99);
        assertThat(ScanReport.percentile(List.of(7L), 99)).isEqualTo(7);
        assertThat(ScanReport.percentile(List.of(), 50)).isZero();
    }

    @Test
    void printsARateLineAndOneLinePerWorker() {
        var report = new ScanReport(SCAN);
        report.accept(producer(Status.STARTED, 0, 0));
        report.accept(parsed("A.java", 1_000, "w/parser-0", 100, 2_000, 500_000));
        report.accept(written("A.java", 2_000, "w/writer-0", 1_000_000));
        var bytes = new ByteArrayOutputStream();

        report.build("r", 0, 0, 2_000).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(
            "  rate       0.5 files/s, 50 lines/s, 3 rows/s",
            "  parse      p50 2.0 ms, p99 2.0 ms, max 2.0 ms",
            "w/parser-0", "(50%)", "w/writer-0");
        assertThat(report.build("r", 0, 0, 2_000).throughput().rowsPerSecond()).isCloseTo(2.5, within(1e-9));
    }
}
