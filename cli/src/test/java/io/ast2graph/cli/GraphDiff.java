package io.ast2graph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Compares two graphs' canonical lines ({@code GraphFingerprint.lines}) and shows only what differs. */
final class GraphDiff {
    private static final int SHOWN = 20;

    private GraphDiff() {}

    static void assertSameGraph(String what, List<String> expected, List<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        actual.forEach(missing::remove);
        Set<String> extra = new TreeSet<>(actual);
        expected.forEach(extra::remove);
        // Only the differences in the message: a whole graph would flood the test's output.
        String differences = what + "\nonly in the first graph (" + missing.size() + "):\n"
            + String.join("\n", missing.stream().limit(SHOWN).toList()) + "\nonly in the second (" + extra.size() + "):\n"
            + String.join("\n", extra.stream().limit(SHOWN).toList());
        assertThat(missing.isEmpty() && extra.isEmpty() && actual.size() == expected.size()).as(differences).isTrue();
    }
}
