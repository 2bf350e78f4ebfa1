package io.ast2graph.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark's figures depend on besides the code: cores, memory, and how busy other processes keep them. */
final class Machine {
    private Machine() {}

    /** e.g. "2 cores, 23.4 GiB RAM, Temurin 25.0.1, load average 3.10 2.50 1.20". */
    static String describe() {
        return String.format("%d cores, %.1f GiB RAM, %s %s, load average %s", Runtime.getRuntime().availableProcessors(),
            memTotalKib() / (1024.0 * 1024), System.getProperty("java.vendor.version", System.getProperty("java.vendor")),
            System.getProperty("java.version"), loadAverage());
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static long memTotalKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // unknown: reported as 0
        }
        return 0;
    }
}
