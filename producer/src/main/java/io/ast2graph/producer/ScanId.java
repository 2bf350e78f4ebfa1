package io.ast2graph.producer;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Scan ids such as {@code shop-20261122T053000Z-3fa2}: the repository and the UTC start second say which scan it is
 * at a glance, and the random suffix keeps two scans started in the same second apart.
 */
public final class ScanId {
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private ScanId() {}

    public static String next(String repo, Clock clock) {
        return next(repo, clock, ThreadLocalRandom.current());
    }

    static String next(String repo, Clock clock, RandomGenerator random) {
        if (repo == null || repo.isBlank()) {
            throw new IllegalArgumentException("--repo must name the repository, was '" + repo + "'");
        }
        return repo + "-" + STAMP.format(clock.instant()) + "-" + "%04x".formatted(random.nextInt(0x1_0000));
    }
}
