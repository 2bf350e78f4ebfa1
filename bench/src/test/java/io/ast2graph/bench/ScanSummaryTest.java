package io.ast2graph.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanSummaryTest {
    /** The start of a real `./ast2graph scan --no-progress` summary of java.base, as `bench/run pipeline` read it. */
    private static final String OUTPUT = """
        21:26:40.905 INFO  [main] ast2graph.progress - scan bench-20261202T212437Z-4734: published 3400/3400, parsed 3400, written 3390/3400
        ast2graph: scan bench-20261202T212437Z-4734 of repo 'bench' complete
          files      3400 published, 3400 written, 0 with parse problems, 0 failed, 0 skipped
          changes    3400 added, 0 changed, 0 deleted, 0 unchanged
          content    by reference, paths under /tmp/ast2graph-bench-4360444818196022698/corpus as the workers mount it
          time       148.4 s publish to written (22.9 files/s), 175.2 s since the command started
                     before it: walk 0.4 s, hashing 3400 files 0.2 s (0 from this machine's hash cache), manifest of 0 files and changes 0.3 s; all beside 25.1 s to start the embedded servers and workers
          graph      161158 nodes, 484362 relationships in the database
          size       1309437 lines, 163137 nodes and 215235 relationships written
        """;

    @Test
    void readsTheScansOwnTimeTheServersStartFilesWrittenAndGraphSize() {
        // walk 0.4 + hashing 0.2 + manifest 0.3 + publish to written 148.4
        assertThat(ScanSummary.parse(OUTPUT)).isEqualTo(new ScanSummary(149.3, 25.1, 3400, 161158, 484362));
    }

    @Test
    void aScanHandedToAServeStartedNoServer() {
        String handedOff = OUTPUT.replace("; all beside 25.1 s to start the embedded servers and workers", "");
        assertThat(ScanSummary.parse(handedOff).startupSeconds()).isZero();
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
