package io.ast2graph.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM started with {@code -XX:NativeMemoryTracking=summary} has committed, by area, as {@code jcmd PID
 * VM.native_memory summary} reports it: where a process's resident memory goes beyond its Java heap.
 */
final class NativeMemory {
    /** "-                 Java Heap (reserved=524288KB, committed=524288KB)" and "Total: reserved=..., committed=...". */
    private static final Pattern AREA = Pattern.compile("^(?:-\\s+([A-Za-z][A-Za-z ]*?)\\s*\\(|(Total):\\s*)reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final int LARGEST = 7;

    private NativeMemory() {}

    /** Runs jcmd on {@code pid}, keeps its whole report in {@code report}, prints the total and the largest areas. */
    static void print(long pid, Path report) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.native_memory", "summary")
            .redirectErrorStream(true).redirectOutput(report.toFile()).start();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            System.out.printf("  native memory of %d: jcmd did not answer within a minute%n", pid);
            return;
        }
        Map<String, Long> committedKib = parse(Files.readString(report));
        if (committedKib.isEmpty()) {
            System.out.printf("  native memory of %d: no summary (see %s)%n", pid, report);
            return;
        }
        StringBuilder line = new StringBuilder();
        committedKib.entrySet().stream()
            .filter(e -> !e.getKey().equals("Total"))
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(LARGEST)
            .forEach(e -> line.append(", ").append(e.getKey()).append(' ').append(e.getValue() >> 10));
        System.out.printf("  native memory of %d, committed (MiB): total %d%s%n", pid,
            committedKib.getOrDefault("Total", 0L) >> 10, line);
    }

    /** Area → committed KiB, in the report's order. */
    static Map<String, Long> parse(String summary) {
        Map<String, Long> areas = new LinkedHashMap<>();
        for (String line : summary.lines().toList()) {
            Matcher m = AREA.matcher(line.strip());
            if (m.find()) {
                areas.putIfAbsent(m.group(1) != null ? m.group(1) : m.group(2), Long.parseLong(m.group(4)));
            }
        }
        return areas;
    }
}
