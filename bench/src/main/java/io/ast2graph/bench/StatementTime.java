package io.ast2graph.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the writer workers' time went, as the benchmarks print it: the consume loops' batches
 * ({@code ast2graph.batch.handle}), their Neo4j transactions ({@code ast2graph.writer.commit}), and the transactions'
 * statements ({@code ast2graph.writer.statement}).
 */
record StatementTime(double seconds, long count) {
    private static final String STATEMENT = "ast2graph.writer.statement";
    private static final String HANDLE = "batch handled";
    private static final String COMMIT = "transaction";

    /** Every timer's total so far. */
    static Map<String, StatementTime> of(MeterRegistry metrics) {
        Map<String, StatementTime> times = new LinkedHashMap<>();
        for (Timer timer : metrics.find(STATEMENT).timers()) {
            times.put(timer.getId().getTag("statement"), of(timer));
        }
        Timer handle = metrics.find("ast2graph.batch.handle").tag("stage", "writer").timer();
        Timer commit = metrics.find("ast2graph.writer.commit").timer();
        if (handle != null && commit != null) {
            times.put(HANDLE, of(handle));
            times.put(COMMIT, of(commit));
        }
        return times;
    }

    private static StatementTime of(Timer timer) {
        return new StatementTime(timer.totalTime(TimeUnit.NANOSECONDS) / 1e9, timer.count());
    }

    /** The time spent since {@code before}: the batches, then each statement, slowest first, with its share. */
    static void print(String phase, Map<String, StatementTime> now, Map<String, StatementTime> before) {
        Map<String, StatementTime> spent = new LinkedHashMap<>();
        now.forEach((name, t) -> {
            StatementTime b = before.getOrDefault(name, new StatementTime(0, 0));
            if (t.count() > b.count()) {
                spent.put(name, new StatementTime(t.seconds() - b.seconds(), t.count() - b.count()));
            }
        });
        StatementTime handled = spent.remove(HANDLE);
        StatementTime committed = spent.remove(COMMIT);
        double total = spent.values().stream().mapToDouble(StatementTime::seconds).sum();
        System.out.printf("%n%s, over all writer threads:%n", phase);
        if (handled != null && committed != null) {
            System.out.printf("  %d batches handled in %.1f s: Neo4j transactions %.1f s (statements %.1f s)%n",
                handled.count(), handled.seconds(), committed.seconds(), total);
        }
        spent.entrySet().stream()
            .sorted(Comparator.comparingDouble((Map.Entry<String, StatementTime> e) -> e.getValue().seconds()).reversed())
            .forEach(e -> System.out.printf("  %-55s %8.1f s %5.1f %% %8d runs %8.2f ms/run%n", e.getKey(),
                e.getValue().seconds(), 100 * e.getValue().seconds() / total, e.getValue().count(),
                1000 * e.getValue().seconds() / e.getValue().count()));
        System.out.println();
    }
}
