package io.ast2graph.bench;

import com.github.javaparser.JavaParser;
import io.ast2graph.parser.FragmentBuilder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The parse limit against fragment building, in one run and on the same threads: JavaParser alone (the parser
 * workers' configuration, {@link FragmentBuilder#newParser()}) parses every file of the corpus, then
 * {@link FragmentBuilder} builds every fragment. Rounds alternate so that both see the same machine.
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

    ParseBench(Corpus corpus, int threads) {
        this.corpus = corpus;
        this.threads = threads;
    }

    Round round() throws Exception {
        LongAdder parseCpu = new LongAdder();
        LongAdder buildCpu = new LongAdder();
        long parse = parseAlone(parseCpu);
        FragmentBuilder builder = new FragmentBuilder();
        long build = timed(buildCpu, file -> {
            builder.build("bench", "bench", file.path(), "", 1, file.bytes());
            return null;
        });
        return new Round(parse, build, parseCpu.sum(), buildCpu.sum());
    }

    /** JavaParser alone on every file, as the parser workers configure it: the parse limit, in nanoseconds. */
    long parseAlone() throws Exception {
        return parseAlone(new LongAdder());
    }

    /** The same, adding the parsing threads' CPU time to {@code cpu}. */
    long parseAlone(LongAdder cpu) throws Exception {
        ThreadLocal<JavaParser> parsers = ThreadLocal.withInitial(FragmentBuilder::newParser);
        return timed(cpu, file -> {
            parsers.get().parse(new String(file.bytes(), StandardCharsets.UTF_8));
            return null;
        });
    }

    private interface FileTask {
        Object run(Corpus.SourceFile file) throws Exception;
    }

    private long timed(LongAdder cpu, FileTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<Object>> futures = new ArrayList<>();
            for (Corpus.SourceFile file : corpus.files()) {
                Callable<Object> call = () -> {
                    long cpuStart = THREADS.getCurrentThreadCpuTime();
                    try {
                        return task.run(file);
                    } finally {
                        cpu.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
                    }
                };
                futures.add(pool.submit(call));
            }
            for (Future<Object> f : futures) {
                f.get();
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }
}
