package io.ast2graph.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanSummaryTest {
    /** The end of a real `./ast2graph scan --no-progress` of java.base, as `bench/run pipeline` read it. */
    private static final String OUTPUT = """
        19:25:29.905 INFO  [main] ast2graph.progress - scan bench-20261201T192326Z-a804: published 3400/3400, parsed 3400, written 2980/3400
        ast2graph: scan bench-20261201T192326Z-a804 of repo 'bench' complete
          files      3400 published, 3400 written, 0 with parse problems, 0 failed, 0 skipped
          changes    3400 added, 0 changed, 0 deleted, 0 unchanged
          time       127.1 s: walk 1.5 s, manifest and changes 0.8 s, publish to written 124.8 s (26.8 files/s)
                     hashing 3400 files took 3.7 s, beside 101.1 s to start the embedded servers (not counted above)
          graph      89224 nodes, 92356 relationships in the database
        """;

    @Test
    void readsTheScansOwnTimeTheServersStartFilesWrittenAndGraphSize() {
        assertThat(ScanSummary.parse(OUTPUT)).isEqualTo(new ScanSummary(127.1, 101.1, 3400, 89224, 92356));
    }

    @Test
    void aScanThatPrintedNoSummaryIsAnErrorThatShowsItsOutput() {
        String failed = "ast2graph: scan bench-1 could not complete: a worker stopped: disk full\n";
        assertThatThrownBy(() -> ScanSummary.parse(failed))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no line matching")
            .hasMessageContaining("disk full");
    }
}
