package io.ast2graph.bench;

import com.github.javaparser.JavaParser;
import io.ast2graph.parser.FragmentBuilder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The parse limit against fragment building, in one run and on the same threads: JavaParser alone (the parser
 * workers' configuration, {@link FragmentBuilder#newParser()}) parses every file of the corpus, then
 * {@link FragmentBuilder} builds every fragment. Rounds alternate so that both see the same machine.
 */
final class ParseBench {
    record Round(long parseNanos, long buildNanos) {}

    private final Corpus corpus;
    private final int threads;

    ParseBench(Corpus corpus, int threads) {
        this.corpus = corpus;
        this.threads = threads;
    }

    Round round() throws Exception {
        long parse = parseAlone();
        FragmentBuilder builder = new FragmentBuilder();
        long build = timed(file -> {
            builder.build("bench", "bench", file.path(), "", 1, file.bytes());
            return null;
        });
        return new Round(parse, build);
    }

    /** JavaParser alone on every file, as the parser workers configure it: the parse limit, in nanoseconds. */
    long parseAlone() throws Exception {
        ThreadLocal<JavaParser> parsers = ThreadLocal.withInitial(FragmentBuilder::newParser);
        return timed(file -> {
            parsers.get().parse(new String(file.bytes(), StandardCharsets.UTF_8));
            return null;
        });
    }

    private interface FileTask {
        Object run(Corpus.SourceFile file) throws Exception;
    }

    private long timed(FileTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<Object>> futures = new ArrayList<>();
            for (Corpus.SourceFile file : corpus.files()) {
                Callable<Object> call = () -> task.run(file);
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
