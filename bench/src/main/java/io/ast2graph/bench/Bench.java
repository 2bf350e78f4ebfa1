package io.ast2graph.bench;

import io.ast2graph.common.model.GraphFragment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code bench/run}: reproducible benchmarks that print their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {Bench.Writer.class, Bench.Producer.class, Bench.Parse.class},
    description = "ast2graph benchmarks; each compares with this machine's own limits in the same run.")
public final class Bench {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    static class CorpusOptions {
        @Option(names = "--corpus", description = "A JDK src.zip or a folder of Java files (default: this JDK's lib/src.zip).")
        Path corpus = Corpus.defaultSourceZip();

        @Option(names = "--modules", split = ",", description = "Only these modules of a src.zip, e.g. java.base (default: all).")
        Set<String> modules = Set.of();

        @Option(names = "--work-dir", description = "Where the databases and the broker keep their data (default: a temporary folder, deleted after).")
        Path workDir;

        Corpus load() throws Exception {
            return Corpus.load(corpus, modules);
        }

        Path work() throws Exception {
            return workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("ast2graph-bench-");
        }

        void cleanUp(Path work) throws Exception {
            if (workDir == null) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Command(name = "writer", mixinStandardHelpOptions = true,
        description = "Writer workers (Kafka → Neo4j) against a raw UNWIND MERGE loader writing the same rows from memory, and Neo4j's bulk importer loading them into an empty database.")
    static final class Writer implements Callable<Integer> {
        @CommandLine.Mixin CorpusOptions corpusOptions;

        @Option(names = "--threads", defaultValue = "2", description = "Writer threads, and raw loader threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--batch-rows", defaultValue = "1000", description = "Rows per batch (the writer starts there and adapts).")
        int batchRows;

        @Option(names = "--page-cache-mb", defaultValue = "1024", description = "Neo4j page cache (default: ${DEFAULT-VALUE} MiB).")
        long pageCacheMb;

        @Option(names = "--import-memory-mb", defaultValue = "2048", description = "The bulk importer's off-heap memory (default: ${DEFAULT-VALUE} MiB).")
        long importMemoryMb;

        @Override
        public Integer call() throws Exception {
            Corpus corpus = corpusOptions.load();
            long buildStart = System.nanoTime();
            List<GraphFragment> fragments = Fragments.build(corpus, "bench", Runtime.getRuntime().availableProcessors());
            double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
            long nodes = fragments.stream().mapToLong(f -> f.nodes().size()).sum();
            long rels = fragments.stream().mapToLong(f -> f.relationships().size()).sum();
            System.out.printf("corpus        %s: %,d files, %,d lines; fragments built in %.1f s%n",
                corpus.name(), corpus.files().size(), corpus.lines(), buildSeconds);
            System.out.printf("rows          %,d nodes + %,d relationships = %,d rows (node rows count shared packages once per file)%n",
                nodes, rels, nodes + rels);
            System.out.printf("settings      %d threads, %d-row batches, %d MiB page cache, %d cores, -Xmx %d MiB%n",
                threads, batchRows, pageCacheMb, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

            Path work = corpusOptions.work();
            try {
                var bench = new WriterBench(work, pageCacheMb << 20, threads, batchRows);
                WriterBench.Result raw = bench.rawLoader(fragments);
                print(raw, raw);
                WriterBench.WriterRun writers = bench.writerWorkers(fragments);
                writers.results().forEach(r -> print(r, raw));
                WriterBench.BulkRun bulk = bench.bulkImporter(fragments, importMemoryMb << 20);
                print(bulk.total(), raw);
                System.out.printf("  bulk phases                        CSV %.1f s (%,d node and %,d relationship files), import %.1f s, "
                        + "schema %.1f s; database start %.1f s (not counted)%n",
                    bulk.csvNanos() / 1e9, bulk.input().nodeFiles().size(), bulk.input().relationshipFiles().size(),
                    bulk.importNanos() / 1e9, bulk.schemaNanos() / 1e9, bulk.startNanos() / 1e9);
                System.out.printf("graphs        writer workers %,d nodes, %,d relationships, fingerprint %s%n",
                    writers.graph().nodes(), writers.graph().relationships(), writers.graph().hash());
                System.out.printf("              bulk importer  %,d nodes, %,d relationships, fingerprint %s%n",
                    bulk.graph().nodes(), bulk.graph().relationships(), bulk.graph().hash());
                if (!writers.afterReplay().equals(writers.graph())) {
                    System.out.printf("FAILED        the replay changed the graph: %,d nodes, %,d relationships, fingerprint %s%n",
                        writers.afterReplay().nodes(), writers.afterReplay().relationships(), writers.afterReplay().hash());
                    return 1;
                }
                System.out.println("              the replay changed nothing: the same fingerprint before and after it");
                if (!bulk.graph().equals(writers.graph())) {
                    System.out.println("FAILED        the bulk importer's graph differs from the writer workers'");
                    return 1;
                }
                System.out.println("              equal: the bulk importer left the writer workers' graph");
            } finally {
                corpusOptions.cleanUp(work);
            }
            return 0;
        }

        private static void print(WriterBench.Result r, WriterBench.Result raw) {
            System.out.printf("%-36s %8.1f s %,12.0f rows/s   %5.2f × raw%n", r.phase(), r.nanos() / 1e9,
                r.rowsPerSecond(), r.rowsPerSecond() / raw.rowsPerSecond());
        }
    }

    @Command(name = "producer", mixinStandardHelpOptions = true,
        description = "The producer in REFERENCE mode against the embedded broker: file references per second, and a rescan's change detection.")
    static final class Producer implements Callable<Integer> {
        @CommandLine.Mixin CorpusOptions corpusOptions;

        @Option(names = "--rounds", defaultValue = "5", description = "Rounds of each measurement; the median is reported (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws Exception {
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
            }
            Corpus corpus = corpusOptions.load();
            System.out.printf("corpus   %s: %,d files, %,d bytes; %d cores, -Xmx %d MiB%n", corpus.name(),
                corpus.files().size(), corpus.bytes(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
            Path work = corpusOptions.work();
            try {
                new ProducerBench(work, rounds).run(corpus);
            } finally {
                corpusOptions.cleanUp(work);
            }
            return 0;
        }
    }

    @Command(name = "parse", mixinStandardHelpOptions = true,
        description = "JavaParser alone against fragment building, on every core, rounds alternating.")
    static final class Parse implements Callable<Integer> {
        @CommandLine.Mixin CorpusOptions corpusOptions;

        @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds after one warm-up round (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws Exception {
            Corpus corpus = corpusOptions.load();
            int threads = Runtime.getRuntime().availableProcessors();
            var bench = new ParseBench(corpus, threads);
            long lines = corpus.lines();
            System.out.printf("corpus        %s: %,d files, %,d lines, %,d bytes; %d threads%n",
                corpus.name(), corpus.files().size(), lines, corpus.bytes(), threads);
            bench.round();
            System.out.println("warm-up round done (JIT, parser tables)");
            List<Double> overheads = new java.util.ArrayList<>();
            for (int i = 1; i <= rounds; i++) {
                ParseBench.Round r = bench.round();
                double parseS = r.parseNanos() / 1e9;
                double buildS = r.buildNanos() / 1e9;
                overheads.add(buildS / parseS - 1);
                System.out.printf("round %d       JavaParser alone %.1f s (%,.0f files/s, %,.0f lines/s) | fragments %.1f s (%,.0f files/s) | building costs %+.1f%%%n",
                    i, parseS, corpus.files().size() / parseS, lines / parseS, buildS, corpus.files().size() / buildS,
                    100 * (buildS / parseS - 1));
            }
            overheads.sort(null);
            System.out.printf("median        fragment building costs %+.1f%% on top of parsing alone%n",
                100 * overheads.get(overheads.size() / 2));
            return 0;
        }
    }
}
