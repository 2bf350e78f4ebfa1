package io.ast2graph.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names docs/metrics.md documents, and the names a PromQL expression or a scrape uses. */
final class MetricNames {
    static final Path DOC = Path.of("..", "docs", "metrics.md");
    private static final Pattern NAME = Pattern.compile("\\b((?:ast2graph|jvm|process|system|kafka)_[a-z0-9_]+)");
    /** What Prometheus appends to a documented timer, summary or histogram name. */
    private static final Set<String> SERIES_SUFFIXES = Set.of("_bucket", "_count", "_sum", "_max");

    private MetricNames() {}

    /** Every metric name the document mentions in backticks. */
    static Set<String> documented() {
        try {
            Set<String> names = new TreeSet<>();
            Matcher backticked = Pattern.compile("`([a-z0-9_]+)`").matcher(Files.readString(DOC));
            while (backticked.find()) {
                names.addAll(in(backticked.group(1)));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pipeline meters of the document's table, with the process column that exposes each. */
    static Set<String> documentedFor(String process) {
        try {
            Set<String> names = new TreeSet<>();
            for (String line : Files.readAllLines(DOC)) {
                // A cell may hold an escaped pipe (`ok` \| `problems`): split on the others only.
                String[] cells = line.split("(?<!\\\\)\\|");
                if (line.startsWith("| `ast2graph_") && cells.length > 5 && cells[5].contains(process)) {
                    names.add(cells[1].trim().replace("`", ""));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> in(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = NAME.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** True if {@code used} is a documented name or one of its series (e.g. {@code _bucket} of a histogram). */
    static boolean isDocumented(String used, Set<String> documented) {
        if (documented.contains(used)) {
            return true;
        }
        return SERIES_SUFFIXES.stream().anyMatch(suffix -> used.endsWith(suffix)
            && documented.contains(used.substring(0, used.length() - suffix.length())));
    }
}
