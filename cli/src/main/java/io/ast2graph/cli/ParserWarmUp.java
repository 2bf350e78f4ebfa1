package io.ast2graph.cli;

import io.ast2graph.parser.FragmentBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Parses a generated sample class a few times, so that the embedded default's first real file does not pay for
 * loading JavaParser's classes and running its code interpreted: the JIT compiles the code the parser threads share.
 * It runs beside Neo4j's start, when the parsers have nothing to do yet.
 *
 * <p>Measured on a rescan of one changed file ({@code java.util.ArrayList}, 1,826 lines) in a freshly started
 * process: 1.2–2.7 s to parse it cold, under 0.5 s after parsing a file its size once (docs/benchmarks.md,
 * "Producer").
 */
final class ParserWarmUp {
    private static final Logger log = LoggerFactory.getLogger(ParserWarmUp.class);
    static final int ROUNDS = 3;

    private ParserWarmUp() {}

    /** Parses the sample {@link #ROUNDS} times; returns how long it took, in milliseconds. */
    static long run() {
        long start = System.nanoTime();
        byte[] source = source(/* methods= */ 150).getBytes(StandardCharsets.UTF_8);
        var builder = new FragmentBuilder();
        for (int i = 0; i < ROUNDS; i++) {
            var fragment = builder.build("warm-up", "ast2graph-warm-up", "warm/Sample.java", "", 0, source);
            if (!fragment.problems().isEmpty()) {
                // The sample is generated here: a problem means it went stale against the parser, not a user error.
                log.warn("the parser warm-up sample has problems: {}", fragment.problems().getFirst().message());
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("parser warmed up in {} ms", millis);
        return millis;
    }

    /** A class with the constructs real code has: generics, lambdas, nested and inner types, annotations, switch. */
    static String source(int methods) {
        var java = new StringBuilder(64 * methods + 1024);
        java.append("""
            package warm;

            import java.util.*;
            import java.util.function.Function;

            /** A sample. */
            @SuppressWarnings("unchecked")
            public class Sample<T extends Comparable<T>> extends AbstractList<T> implements RandomAccess {
                private static final long serialVersionUID = 1L;
                private final List<T> items = new ArrayList<>();
                enum Kind { A, B, C }
                record Pair<L, R>(L left, R right) {}
                interface Visitor<R> { R visit(Object o); }
                @Override public T get(int index) { return items.get(index); }
                @Override public int size() { return items.size(); }
            """);
        for (int i = 0; i < methods; i++) {
            java.append("""
                    /** Method %1$d. */
                    public <R> Map<String, R> m%1$d(Function<? super T, R> f, int n, String... names) throws Exception {
                        Map<String, R> out = new HashMap<>();
                        for (int i = 0; i < n && i < items.size(); i++) {
                            T item = items.get(i);
                            if (item == null) { continue; }
                            out.put(names.length > i ? names[i] : "k" + i, f.apply(item));
                        }
                        switch (Kind.values()[n %% 3]) {
                            case A -> out.computeIfAbsent("a", k -> null);
                            case B, C -> { var p = new Pair<>(n, "b"); out.remove(p.right()); }
                        }
                        new Visitor<Integer>() { public Integer visit(Object o) { return o.hashCode() + %1$d; } };
                        return out.isEmpty() ? Collections.emptyMap() : out;
                    }
                """.formatted(i));
        }
        return java.append("}\n").toString();
    }
}
