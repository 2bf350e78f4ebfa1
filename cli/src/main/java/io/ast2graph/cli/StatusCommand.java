package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.model.ScanEvent;
import io.ast2graph.embedded.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ast2graph status}: the running and recent scans, read from the events topic, so it works from any machine
 * that reaches the cluster: per scan the records published, files parsed and written, failures, rate and ETA; for the
 * running scans (or the one named with {@code --scan}, or else the latest) also the errors by type, the failed files
 * and the slowest files to parse.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Show the progress of running and recent scans, from the events topic.")
final class StatusCommand implements Callable<Integer> {
    /** A scan with no event for this long is shown as stalled: its producer or all its workers are gone. */
    static final Duration STALLED_AFTER = Duration.ofMinutes(5);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhd])");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Option(names = "--scan", paramLabel = "ID", description = "Only this scan, with its details.")
    String scanId;

    @Option(names = "--since", defaultValue = "24h", description = "How far back to look, e.g. 30m, 24h, 7d (default: ${DEFAULT-VALUE}; the events topic keeps 7 days).")
    String since;

    @Option(names = "--limit", defaultValue = "10", description = "Show at most this many scans, the latest first (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin KafkaOptions kafkaOptions;
    @Mixin EmbeddedOptions embeddedOptions;

    private final PrintStream out;
    private final Clock clock;

    StatusCommand() {
        this(System.out, Clock.systemUTC());
    }

    StatusCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, was " + limit);
        }
        Instant from = clock.instant().minus(parseDuration(since));
        if (kafkaOptions.isSet()) {
            return show(kafkaOptions.settings(), from);
        }
        Path kafkaDir = embeddedOptions.dataDir.resolve("kafka");
        if (!Files.isDirectory(kafkaDir)) {
            throw new IllegalArgumentException("no scans in --data-dir " + embeddedOptions.dataDir.toAbsolutePath()
                + ": run 'ast2graph scan DIR' first, or name a cluster with --bootstrap-servers");
        }
        // A serve on the folder has the broker up: ask it. Otherwise the broker is started here, unless an embedded
        // scan in another process holds the folder: only that scan's own progress bar can show it.
        DataDir.Claim claim;
        try {
            claim = DataDir.claim(embeddedOptions.dataDir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (a scan running with this --data-dir shows its "
                + "progress itself)", e);
        }
        switch (claim) {
            case DataDir.Served served -> {
                return show(KafkaSettings.of(served.serve().bootstrapServers()), from);
            }
            case DataDir.Owned owned -> {
                try (owned) {
                    EmbeddedKafka kafka;
                    try {
                        kafka = EmbeddedKafka.start(kafkaDir, 0, LocalPipeline.PARTITIONS);
                    } catch (Exception e) {
                        throw new IllegalArgumentException("cannot open the embedded broker in " + kafkaDir + ": "
                            + e.getMessage(), e);
                    }
                    try (kafka) {
                        return show(KafkaSettings.of(kafka.bootstrapServers()), from);
                    }
                }
            }
        }
    }

    private int show(KafkaSettings kafka, Instant from) {
        Map<String, ScanProgress> scans = EventHistory.read(kafka, kafkaOptions.topics().events(), from,
            Optional.ofNullable(scanId), Duration.ofSeconds(60));
        if (scanId != null && !scans.containsKey(scanId)) {
            out.printf("no events of scan %s since %s%n", scanId, TIME.format(from));
            return 1;
        }
        render(out, new ArrayList<>(scans.values()), clock.millis(), limit, scanId != null);
        return 0;
    }

    /**
     * Prints a table of the scans, the latest first, then the details of the running ones (of all shown, if
     * {@code allDetails}), or of the latest if none runs.
     */
    static void render(PrintStream out, List<ScanProgress> scans, long nowMillis, int limit, boolean allDetails) {
        if (scans.isEmpty()) {
            out.println("no scans in this period");
            return;
        }
        List<ScanProgress> shown = scans.stream()
            .sorted(Comparator.comparingLong(StatusCommand::startOrFirstSeen).reversed()).limit(limit).toList();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SCAN", "REPO", "STATE", "STARTED (UTC)", "PUBLISHED", "PARSED", "WRITTEN", "FAILED", "RATE", "TIME"});
        for (ScanProgress p : shown) {
            String total = p.total() < 0 ? "?" : Long.toString(p.total());
            rows.add(new String[] {p.scanId(), p.repo(), state(p, nowMillis),
                p.startedMillis() < 0 ? "?" : TIME.format(Instant.ofEpochMilli(p.startedMillis())),
                p.expected() < 0 ? "…/" + total : Long.toString(p.expected()), Long.toString(p.parsed()),
                p.written() + "/" + total, Long.toString(p.failed()),
                String.format("%.1f files/s", rate(p, nowMillis)), time(p, nowMillis)});
        }
        printTable(out, rows);
        List<ScanProgress> detailed = allDetails ? shown
            : shown.stream().filter(p -> !p.complete()).toList();
        for (ScanProgress p : detailed.isEmpty() ? shown.subList(0, 1) : detailed) {
            printDetails(out, p);
        }
    }

    private static long startOrFirstSeen(ScanProgress p) {
        return p.startedMillis() >= 0 ? p.startedMillis() : p.lastEventMillis();
    }

    static String state(ScanProgress p, long nowMillis) {
        if (p.complete()) {
            return p.failed() > 0 ? "complete, with failures" : "complete";
        }
        return nowMillis - p.lastEventMillis() > STALLED_AFTER.toMillis() ? "stalled" : "running";
    }

    /** Records finished per second: over the whole scan once complete, else from its start until now. */
    static double rate(ScanProgress p, long nowMillis) {
        long start = startOrFirstSeen(p);
        long end = p.completedMillis() >= 0 ? p.completedMillis() : nowMillis;
        return p.finished() / Math.max((end - start) / 1000.0, 1e-3);
    }

    private static String time(ScanProgress p, long nowMillis) {
        long start = startOrFirstSeen(p);
        if (p.completedMillis() >= 0) {
            return "took " + ProgressView.formatSeconds((p.completedMillis() - start) / 1000.0);
        }
        double rate = rate(p, nowMillis);
        String eta = p.total() >= 0 && rate > 0 ? ProgressView.formatSeconds((p.total() - p.finished()) / rate) : "?";
        return "ETA " + eta + ", last event " + ProgressView.formatSeconds((nowMillis - p.lastEventMillis()) / 1000.0) + " ago";
    }

    private static void printDetails(PrintStream out, ScanProgress p) {
        out.printf("%nscan %s%n", p.scanId());
        out.println("  errors     " + (p.errorsByType().isEmpty() ? "none" : p.errorsByType()));
        for (ScanEvent failure : p.failures().values().stream().limit(10).toList()) {
            out.printf("  failed     %s (%s stage): %s: %s%n", failure.path(), failure.stage().name().toLowerCase(),
                failure.errorType(), failure.detail());
        }
        for (ScanEvent problem : p.problemExamples()) {
            out.printf("  problems   %s: %s%n", problem.path(), problem.detail());
        }
        List<ScanProgress.Timed> slowest = p.slowest();
        if (!slowest.isEmpty()) {
            out.println("  slowest files to read and parse:");
            slowest.forEach(t -> out.printf("  %10.1f ms  %s%n", t.micros() / 1000.0, t.path()));
        }
    }

    private static void printTable(PrintStream out, List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "  ").append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s", row[i]));
            }
            out.println(line);
        }
    }

    /** Parses {@code 30m}, {@code 24h}, {@code 7d}, {@code 90s}. */
    static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("--since must be a number and a unit (s, m, h or d), e.g. 24h, was '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
