package io.ast2graph.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures {@code ast2graph scan} prints in its summary: its own time (the servers' start excluded), the servers'
 * start, files written and the graph's size. Read from the command's output, as a user reads them.
 */
record ScanSummary(double seconds, double startupSeconds, long written, long nodes, long relationships) {
    private static final Pattern PIPELINE = Pattern.compile("(?m)^\\s+time\\s+([\\d.]+) s publish to written");
    private static final Pattern BEFORE = Pattern.compile(
        "before it: walk ([\\d.]+) s, hashing \\d+ files ([\\d.]+) s .*?manifest of \\d+ files and changes ([\\d.]+) s");
    private static final Pattern STARTUP = Pattern.compile("beside ([\\d.]+) s to start the embedded servers");
    private static final Pattern FILES = Pattern.compile("(?m)^\\s+files\\s+\\d+ published, (\\d+) written");
    private static final Pattern GRAPH = Pattern.compile("(?m)^\\s+graph\\s+(\\d+) nodes, (\\d+) relationships");

    /** The scan's own time is the producer's part (walk, hashing, manifest and changes) and publish to written. */
    static ScanSummary parse(String output) {
        Matcher graph = find(GRAPH, output);
        Matcher before = find(BEFORE, output);
        double seconds = Double.parseDouble(find(PIPELINE, output).group(1)) + Double.parseDouble(before.group(1))
            + Double.parseDouble(before.group(2)) + Double.parseDouble(before.group(3));
        Matcher startup = STARTUP.matcher(output); // absent when the scan started no server (it was handed to a serve)
        return new ScanSummary(Math.round(seconds * 10) / 10.0, startup.find() ? Double.parseDouble(startup.group(1)) : 0,
            Long.parseLong(find(FILES, output).group(1)), Long.parseLong(graph.group(1)), Long.parseLong(graph.group(2)));
    }

    private static Matcher find(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("the scan's summary has no line matching " + pattern + "; its output ends:\n"
                + MeasuredProcess.tail(output, 30));
        }
        return m;
    }
}
