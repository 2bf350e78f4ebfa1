package io.ast2graph.writer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.neo4j.driver.Query;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.SimpleQueryRunner;
import org.neo4j.driver.Value;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a batch's transaction spends its time: the wall time of each statement the writer runs, by statement, as the
 * timer {@code ast2graph.writer.statement} tagged {@code statement} (docs/metrics.md).
 *
 * <p>A statement's time runs from its {@code run} to the next statement's {@code run} (or the end of the batch's
 * work): every call site consumes its result before it runs the next, so that is the statement's execution and the
 * reading of its result, plus the link step's own Java work on that result, which is small next to the database's.
 *
 * <p>The fixed statements are named after the constant that holds them ({@code CallLinker.READ_TYPES_BELOW}); the
 * ones built per batch after what they write ({@code nodes Method}, {@code relationships EXTENDS}, {@code link
 * EXTENDS}, {@code unlink EXTENDS}).
 */
final class StatementTimer {
    static final String METER = "ast2graph.writer.statement";

    /** The statements held in constants, by identity of the constant's string, and their names. */
    private static final Map<String, String> CONSTANTS = constants(List.of(Neo4jGraphWriter.class,
        ReferenceLinker.class, CallLinker.class, OverrideLinker.class, Hierarchy.class));
    private static final List<Map.Entry<Pattern, String>> BUILT = List.of(
        Map.entry(Pattern.compile("MERGE \\(n:(\\w+) \\{id: row\\.id}\\)"), "nodes "),
        Map.entry(Pattern.compile("MERGE \\(a\\)-\\[r:(\\w+)]->\\(b\\)"), "relationships "),
        Map.entry(Pattern.compile("MERGE \\(a\\)-\\[r:(\\w+) \\{candidates"), "link "),
        Map.entry(Pattern.compile("-\\[r:(\\w+)]->\\(b:Type \\{id: row\\.to}\\) WHERE r\\.candidates"), "unlink "));

    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, String> builtNames = new ConcurrentHashMap<>();

    StatementTimer(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** A runner that times each statement run through it; {@link Timed#close() close} it when the work is done. */
    Timed timed(SimpleQueryRunner tx) {
        return new Timed(tx);
    }

    String name(String cypher) {
        String constant = CONSTANTS.get(cypher);
        if (constant != null) {
            return constant;
        }
        return builtNames.computeIfAbsent(cypher, StatementTimer::builtName);
    }

    private static String builtName(String cypher) {
        for (Map.Entry<Pattern, String> built : BUILT) {
            Matcher m = built.getKey().matcher(cypher);
            if (m.find()) {
                return built.getValue() + m.group(1);
            }
        }
        // Not expected: the statement's first words, so that it can be found.
        String text = cypher.strip().replaceAll("\\s+", " ");
        return "other: " + text.substring(0, Math.min(60, text.length()));
    }

    private Timer timer(String name) {
        return timers.computeIfAbsent(name, n -> Timer.builder(METER)
            .description("wall time of one kind of statement in the writer's transactions").tag("statement", n)
            .register(metrics));
    }

    private static Map<String, String> constants(List<Class<?>> classes) {
        Map<String, String> names = new HashMap<>();
        for (Class<?> type : classes) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                    try {
                        field.setAccessible(true);
                        names.put((String) field.get(null), type.getSimpleName() + "." + field.getName());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return names;
    }

    /** Times the statements of one transaction's work, one after the other. */
    final class Timed implements SimpleQueryRunner, AutoCloseable {
        private final SimpleQueryRunner delegate;
        private String current;
        private long started;

        private Timed(SimpleQueryRunner delegate) {
            this.delegate = delegate;
        }

        private void next(String cypher) {
            close();
            current = name(cypher);
            started = System.nanoTime();
        }

        @Override
        public Result run(String query, Value parameters) {
            next(query);
            return delegate.run(query, parameters);
        }

        @Override
        public Result run(String query, Map<String, Object> parameters) {
            next(query);
            return delegate.run(query, parameters);
        }

        @Override
        public Result run(String query, Record parameters) {
            next(query);
            return delegate.run(query, parameters);
        }

        @Override
        public Result run(String query) {
            next(query);
            return delegate.run(query);
        }

        @Override
        public Result run(Query query) {
            next(query.text());
            return delegate.run(query);
        }

        /** The name of the statement running now, or null between statements. */
        String current() {
            return current;
        }

        /** Ends the current statement's time. */
        @Override
        public void close() {
            if (current != null) {
                timer(current).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                current = null;
            }
        }
    }
}
