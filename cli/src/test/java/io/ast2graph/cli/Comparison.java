package io.ast2graph.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One fact set of the graph compared with the same fact set read from bytecode, as multisets of keys (overloads of
 * one arity are one key counted twice).
 *
 * @param name     what is compared
 * @param expected key → count, from the bytecode
 * @param actual   key → count, from the graph
 */
record Comparison(String name, Map<String, Integer> expected, Map<String, Integer> actual) {

    public static Comparison of(String name, List<String> expected, List<String> actual) {
        return new Comparison(name, count(expected), count(actual));
    }

    private static Map<String, Integer> count(List<String> keys) {
        Map<String, Integer> counts = new TreeMap<>();
        keys.forEach(key -> counts.merge(key, 1, Integer::sum));
        return counts;
    }

    public long matched() {
        long matched = 0;
        for (var entry : expected.entrySet()) {
            matched += Math.min(entry.getValue(), actual.getOrDefault(entry.getKey(), 0));
        }
        return matched;
    }

    public long expectedCount() {
        return expected.values().stream().mapToLong(Integer::longValue).sum();
    }

    public long actualCount() {
        return actual.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Share of the bytecode's facts the graph has. */
    public double recall() {
        return expectedCount() == 0 ? 1.0 : (double) matched() / expectedCount();
    }

    /** Share of the graph's facts the bytecode confirms. */
    public double precision() {
        return actualCount() == 0 ? 1.0 : (double) matched() / actualCount();
    }

    /** Facts of {@code from} that {@code other} lacks (counting multiplicity), the first {@code limit}. */
    private static List<String> missing(Map<String, Integer> from, Map<String, Integer> other, int limit) {
        List<String> result = new ArrayList<>();
        for (var entry : from.entrySet()) {
            int surplus = entry.getValue() - other.getOrDefault(entry.getKey(), 0);
            for (int i = 0; i < surplus && result.size() < limit; i++) {
                result.add(entry.getKey());
            }
        }
        return result;
    }

    public List<String> onlyInBytecode(int limit) {
        return missing(expected, actual, limit);
    }

    public List<String> onlyInGraph(int limit) {
        return missing(actual, expected, limit);
    }

    public String summary() {
        return "%-22s bytecode %6d  graph %6d  matched %6d  recall %7.3f%%  precision %7.3f%%".formatted(name,
            expectedCount(), actualCount(), matched(), 100 * recall(), 100 * precision());
    }
}
