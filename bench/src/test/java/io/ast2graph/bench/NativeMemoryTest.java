package io.ast2graph.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NativeMemoryTest {
    @Test
    void readsTheCommittedKibOfEachAreaFromJcmdsSummary() {
        String summary = """
            12345:

            Native Memory Tracking:

            (Omitting categories weighting less than 1KB)

            Total: reserved=2015232KB, committed=712345KB
                   malloc: 51234KB #123456
                   mmap:   reserved=1964000KB, committed=661111KB

            -                 Java Heap (reserved=524288KB, committed=401408KB)
                                        (mmap: reserved=524288KB, committed=401408KB)

            -                     Class (reserved=1048831KB, committed=12543KB)
                                        (classes #14263)

            -                      Code (reserved=251904KB, committed=98765KB)
                                        (mmap: reserved=245760KB, committed=90000KB)
            """;

        assertThat(NativeMemory.parse(summary)).containsExactly(
            java.util.Map.entry("Total", 712345L),
            java.util.Map.entry("Java Heap", 401408L),
            java.util.Map.entry("Class", 12543L),
            java.util.Map.entry("Code", 98765L));
    }
}
