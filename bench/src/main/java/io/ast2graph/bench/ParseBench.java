package io.ast2graph.bench;

import com.github.javaparser.JavaParser;
import io.ast2graph.parser.FragmentBuilder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The parse limit against fragment building, in one run and on the same threads: JavaParser alone (the parser
 * workers' configuration, {@link FragmentBuilder#newParser()}) against {@link FragmentBuilder#build}, which parses
 * with the same configuration and then collects the fragment.
 *
 * <p>A round measures both on every file, back to back on one thread, the order alternating from file to file and
 * from round to round. Timing whole phases one after the other gave overheads from −10% to +48% on this noisy
 * machine: the JIT was still compiling between the phases, and other sessions' load came and went. Pairs see the
 * same JIT state and the same load, so their ratio holds still.
 */
final class ParseBench {
    /**
     * Wall time of each phase, and the CPU time its threads spent: on a machine shared with other work the wall
     * times swing with the load, while the CPU times of the two phases stay comparable.
     */
    record Round(long parseNanos, long buildNanos, long parseCpuNanos, long buildCpuNanos) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Corpus corpus;
    private final int threads;
    private final FragmentBuilder builder = new FragmentBuilder();
    private final ThreadLocal<JavaParser> parsers = ThreadLocal.withInitial(FragmentBuilder::newParser);
    private int rounds;

    ParseBench(Corpus corpus, int threads) {
        this.corpus = corpus;
        this.threads = threads;
    }

    Round round() throws Exception {
        LongAdder parseWall = new LongAdder();
        LongAdder buildWall = new LongAdder();
        LongAdder parseCpu = new LongAdder();
        LongAdder buildCpu = new LongAdder();
        int round = rounds++;
        List<Corpus.SourceFile> files = corpus.files();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Corpus.SourceFile file = files.get(i);
                boolean parseFirst = (i + round) % 2 == 0;
                futures.add(pool.submit(() -> {
                    if (parseFirst) {
                        measure(parseWall, parseCpu, () -> parse(file));
                        measure(buildWall, buildCpu, () -> build(file));
                    } else {
                        measure(buildWall, buildCpu, () -> build(file));
                        measure(parseWall, parseCpu, () -> parse(file));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Round(parseWall.sum(), buildWall.sum(), parseCpu.sum(), buildCpu.sum());
    }

    private void parse(Corpus.SourceFile file) {
        parsers.get().parse(new String(file.bytes(), StandardCharsets.UTF_8));
    }

    private void build(Corpus.SourceFile file) {
        builder.build("bench", "bench", file.path(), "", 1, file.bytes());
    }

    private static void measure(LongAdder wall, LongAdder cpu, Runnable task) {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        task.run();
        wall.add(System.nanoTime() - start);
        cpu.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
    }

    /** JavaParser alone on every file, as the parser workers configure it: the parse limit, in nanoseconds. */
    long parseAlone() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (Corpus.SourceFile file : corpus.files()) {
                futures.add(pool.submit(() -> parse(file)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }
}
