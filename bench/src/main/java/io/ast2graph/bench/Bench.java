package io.ast2graph.bench;

import io.ast2graph.common.model.GraphFragment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code bench/run}: reproducible benchmarks that print their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {Bench.Pipeline.class, Bench.Scale.class, Bench.Writer.class, Bench.Producer.class,
    Bench.Parse.class, Bench.ParsePhase.class, Bench.WritePhase.class},
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

        @Option(names = "--max-files", description = "Only the first N files, in path order (default: all).")
        Integer maxFiles;

        @Option(names = "--work-dir", description = "Where the databases and the broker keep their data (default: a temporary folder, deleted after).")
        Path workDir;

        Corpus load() throws IOException {
            Corpus all = Corpus.load(corpus, modules);
            return maxFiles == null ? all : all.first(maxFiles);
        }

        private Path work() throws IOException {
            return workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("ast2graph-bench-");
        }

        /** What a benchmark does with its corpus in its work folder. */
        interface Task {
            void run(Corpus corpus, Path work) throws Exception;
        }

        /** Loads the corpus, runs {@code task} in the work folder, deletes the folder after unless it was given. */
        int run(Task task) throws Exception {
            Corpus corpus = load();
            Path work = work();
            try {
                task.run(corpus, work);
            } finally {
                cleanUp(work);
            }
            return 0;
        }

        private void cleanUp(Path work) throws IOException {
            if (workDir == null) {
                deleteTree(work);
            }
        }
    }

    /** Deletes a folder and all it holds; nothing if it does not exist. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The parse limit, the write limit and the end-to-end ./ast2graph scan on one corpus, in one run:",
            "times, files/s, lines/s, rows/s, peak RSS per process, and end to end / (parse + write), / max(parse, write)."})
    static final class Pipeline implements Callable<Integer> {
        @CommandLine.Mixin CorpusOptions corpusOptions;

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds of the three phases; medians are reported (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--xmx", defaultValue = "4g", description = "Heap of every process, the scan's included (default: ${DEFAULT-VALUE}, the launcher's).")
        String xmx;

        @Option(names = "--writer-threads", defaultValue = "2", description = "Raw loader threads and the scan's writer threads (default: ${DEFAULT-VALUE}).")
        int writerThreads;

        @Option(names = "--batch-rows", defaultValue = "1000", description = "Rows per batch of the raw loader (default: ${DEFAULT-VALUE}).")
        int batchRows;

        @Option(names = "--page-cache-mb", defaultValue = "512", description = "Neo4j page cache of the raw loader and the scan (default: ${DEFAULT-VALUE}, the scan's).")
        long pageCacheMb;

        @Option(names = "--bulk", description = "Also run ./ast2graph scan --bulk (the bulk importer's first load, the default for 200 files or more) in each round, after the scan through the writers (scan --no-bulk).")
        boolean bulk;

        @Option(names = "--aot-training", paramLabel = "DIR", description = "Train the launcher's ahead-of-time cache (JDK 25+) "
            + "by a scan of DIR, a source folder other than the corpus, before the rounds, and run the scans from it, as a "
            + "user's scans after their first run; by default they run without the launcher's caches.")
        Path aotTraining;

        @Override
        public Integer call() throws Exception {
            var settings = new PipelineBench.Settings(rounds, writerThreads, batchRows, pageCacheMb, bulk,
                aotTraining == null ? null : aotTraining.toAbsolutePath());
            var commands = new ChildCommands(xmx);
            return corpusOptions.run((corpus, work) -> new PipelineBench(commands, work, settings).run(corpus));
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"1, 2, 4 ... ./ast2graph parser-worker processes in one consumer group against one embedded broker:",
            "files/s, efficiency per added worker, and each worker's peak RSS."})
    static final class Scale implements Callable<Integer> {
        @CommandLine.Mixin CorpusOptions corpusOptions;

        @Option(names = "--workers", split = ",", defaultValue = "1,2,4", description = "Worker counts to run (default: ${DEFAULT-VALUE}).")
        List<Integer> workers;

        @Option(names = "--threads-per-worker", defaultValue = "1", description = "Parser threads in each worker (default: ${DEFAULT-VALUE}).")
        int threadsPerWorker;

        @Option(names = "--rounds", defaultValue = "1", description = "Runs of each worker count; the median is reported (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--xmx", defaultValue = "512m", description = "Heap of each worker process (default: ${DEFAULT-VALUE}).")
        String xmx;

        @Option(names = "--partitions", defaultValue = "12", description = "Partitions of the file references topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--jvm-opts", defaultValue = "", description = "More JVM options for each worker, e.g. '-XX:ReservedCodeCacheSize=64m'.")
        String jvmOptions;

        @Option(names = "--native-memory", description = "Track each worker's native memory (-XX:NativeMemoryTracking=summary) and print"
            + " what it committed, by area, once the group caught up (jcmd VM.native_memory).")
        boolean nativeMemory;

        @Override
        public Integer call() throws Exception {
            var settings = new ScaleBench.Settings(workers, threadsPerWorker, rounds, partitions, nativeMemory);
            var commands = new ChildCommands(xmx, jvmOptions + (nativeMemory ? " -XX:NativeMemoryTracking=summary" : ""));
            return corpusOptions.run((corpus, work) -> new ScaleBench(commands, work, settings).run(corpus));
        }
    }

    @Command(name = "parse-phase", hidden = true, description = "pipeline's parse limit, in its own JVM: JavaParser alone on every core.")
    static final class ParsePhase implements Callable<Integer> {
        @CommandLine.Mixin CorpusOptions corpusOptions;

        @Option(names = "--result", required = true, description = "Where to write what was measured (JSON).")
        Path result;

        @Override
        public Integer call() throws Exception {
            Corpus corpus = corpusOptions.load();
            int threads = Runtime.getRuntime().availableProcessors();
            // Warm the JIT and JavaParser's tables up on part of the corpus, as a long-running worker would be.
            new ParseBench(corpus.first(1000), threads).parseAlone();
            long nanos = new ParseBench(corpus, threads).parseAlone();
            new PipelineBench.PhaseResult(nanos, 0).writeTo(result);
            return 0;
        }
    }

    @Command(name = "write-phase", hidden = true, description = "pipeline's write limit, in its own JVM: the raw loader.")
    static final class WritePhase implements Callable<Integer> {
        @CommandLine.Mixin CorpusOptions corpusOptions;

        @Option(names = "--result", required = true, description = "Where to write what was measured (JSON).")
        Path result;

        @Option(names = "--threads", defaultValue = "2")
        int threads;

        @Option(names = "--batch-rows", defaultValue = "1000")
        int batchRows;

        @Option(names = "--page-cache-mb", defaultValue = "512")
        long pageCacheMb;

        @Override
        public Integer call() throws Exception {
            return corpusOptions.run((corpus, work) -> {
                List<GraphFragment> fragments = Fragments.build(corpus, "bench", Runtime.getRuntime().availableProcessors());
                WriterBench.Result raw = new WriterBench(work, pageCacheMb << 20, threads, batchRows).rawLoader(fragments);
                new PipelineBench.PhaseResult(raw.nanos(), raw.rows()).writeTo(result);
            });
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
            return corpusOptions.run(this::run);
        }

        private void run(Corpus corpus, Path work) throws Exception {
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

            var bench = new WriterBench(work, pageCacheMb << 20, threads, batchRows);
            WriterBench.Result raw = bench.rawLoader(fragments);
            print(raw, raw);
            WriterBench.WriterRun writers = bench.writerWorkers(fragments);
            writers.results().forEach(r -> print(r, raw));
            System.out.printf("graphs        writer workers %,d nodes, %,d relationships, fingerprint %s%n",
                writers.graph().nodes(), writers.graph().relationships(), writers.graph().hash());
            if (!writers.afterReplay().equals(writers.graph())) {
                throw new IllegalStateException(String.format("the replay changed the graph: %,d nodes, %,d relationships, fingerprint %s",
                    writers.afterReplay().nodes(), writers.afterReplay().relationships(), writers.afterReplay().hash()));
            }
            System.out.println("              the replay changed nothing: the same fingerprint before and after it");
            // The raw loader above writes the fragments' rows only; the writers also write the link step's edges and
            // placeholders. Held to the same rows: the writers' graph, written from memory by a raw loader.
            WriterBench.Result rawGraph = bench.rawGraphLoader(writers.rows());
            WriterBench.Result firstLoad = writers.results().getFirst();
            WriterBench.Result replay = writers.results().get(1);
            System.out.printf("graph rows    %,d nodes + %,d relationships = %,d rows, %.2f × the fragments' rows%n",
                writers.rows().nodeCount, writers.rows().relationshipCount, rawGraph.rows(),
                (double) rawGraph.rows() / raw.rows());
            print(rawGraph, rawGraph);
            print(new WriterBench.Result(firstLoad.phase() + " (graph rows)", rawGraph.rows(), firstLoad.nanos()), rawGraph);
            print(new WriterBench.Result(replay.phase() + " (graph rows)", rawGraph.rows(), replay.nanos()), rawGraph);
            WriterBench.BulkRun bulk;
            try {
                bulk = bench.bulkImporter(fragments, importMemoryMb << 20, writers.graph());
            } catch (IllegalArgumentException e) {
                // A fragment the CSV cannot carry: the writer figures above stand; the bulk path is not offered.
                System.out.println("bulk importer                        not run: " + e.getMessage());
                return;
            }
            print(bulk.total(), raw);
            System.out.printf("  bulk phases                        CSV %.1f s (%,d node and %,d relationship files; of it the link "
                    + "step in memory %.1f s), import %.1f s, schema %.1f s, %,d late list values %.1f s; database start %.1f s "
                    + "(not counted)%n",
                bulk.csvNanos() / 1e9, bulk.input().nodeFiles().size(), bulk.input().relationshipFiles().size(),
                bulk.linkNanos() / 1e9, bulk.importNanos() / 1e9, bulk.schemaNanos() / 1e9, bulk.input().lateValues(),
                bulk.lateNanos() / 1e9, bulk.startNanos() / 1e9);
            System.out.printf("              bulk importer  %,d nodes, %,d relationships, fingerprint %s%n",
                bulk.graph().nodes(), bulk.graph().relationships(), bulk.graph().hash());
            if (bulk.graph().equals(writers.graph())) {
                System.out.println("              equal: the bulk importer left the writer workers' graph");
            } else {
                // Not a failure of the command: the writer figures above stand. It is why ast2graph scan does not
                // offer the bulk path yet (docs/benchmarks.md, "Writer").
                System.out.printf("              DIFFERENT: the bulk importer's graph has %+,d nodes and %+,d relationships"
                        + " against the writer workers'%n", bulk.graph().nodes() - writers.graph().nodes(),
                    bulk.graph().relationships() - writers.graph().relationships());
                System.out.println("              lines only in the bulk importer's graph (+) and only in the writers' (-), at most 15 of each:");
                bulk.differences().forEach(line -> System.out.println("                " + line));
            }
        }

        private static void print(WriterBench.Result r, WriterBench.Result raw) {
            System.out.printf("%-48s %8.1f s %,12.0f rows/s   %5.2f × raw%n", r.phase(), r.nanos() / 1e9,
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
            return corpusOptions.run((corpus, work) -> {
                System.out.printf("corpus   %s: %,d files, %,d bytes; %d cores, -Xmx %d MiB%n", corpus.name(),
                    corpus.files().size(), corpus.bytes(), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
                new ProducerBench(work, rounds).run(corpus);
            });
        }
    }

    @Command(name = "parse", mixinStandardHelpOptions = true,
        description = "JavaParser alone against fragment building, on every core, file by file in alternating order.")
    static final class Parse implements Callable<Integer> {
        @CommandLine.Mixin CorpusOptions corpusOptions;

        @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds after the warm-up (default: ${DEFAULT-VALUE}).")
        int rounds;

        // The JIT keeps compiling JavaParser's and the collectors' code for several rounds over java.base: rounds
        // before it settles favour whichever phase got compiled first.
        @Option(names = "--warm-up", defaultValue = "3", description = "Warm-up rounds, not measured (default: ${DEFAULT-VALUE}).")
        int warmUp;

        @Override
        public Integer call() throws Exception {
            Corpus corpus = corpusOptions.load();
            int threads = Runtime.getRuntime().availableProcessors();
            var bench = new ParseBench(corpus, threads);
            long lines = corpus.lines();
            System.out.printf("corpus        %s: %,d files, %,d lines, %,d bytes; %d threads%n",
                corpus.name(), corpus.files().size(), lines, corpus.bytes(), threads);
            for (int i = 0; i < warmUp; i++) {
                bench.round();
            }
            System.out.printf("%d warm-up rounds done (JIT, parser tables)%n", warmUp);
            List<Double> overheads = new java.util.ArrayList<>();
            List<Double> cpuOverheads = new java.util.ArrayList<>();
            for (int i = 1; i <= rounds; i++) {
                ParseBench.Round r = bench.round();
                // Both phases ran on the same threads, file by file: their times are summed over the threads.
                double parseS = r.parseNanos() / 1e9;
                double buildS = r.buildNanos() / 1e9;
                double cpuRatio = (double) r.buildCpuNanos() / r.parseCpuNanos();
                overheads.add(buildS / parseS - 1);
                cpuOverheads.add(cpuRatio - 1);
                System.out.printf("round %d       JavaParser alone %.1f thread-s (%,.0f files/s per thread) | fragments %.1f thread-s (%,.0f files/s per thread) | building costs %+.1f%% | CPU time %.1f s vs %.1f s: %+.1f%%%n",
                    i, parseS, corpus.files().size() / parseS, buildS, corpus.files().size() / buildS,
                    100 * (buildS / parseS - 1), r.parseCpuNanos() / 1e9, r.buildCpuNanos() / 1e9,
                    100 * (cpuRatio - 1));
            }
            System.out.printf("median        fragment building costs %+.1f%% on top of parsing alone (wall time), %+.1f%% (CPU time of the parsing threads)%n",
                100 * Median.of(overheads), 100 * Median.of(cpuOverheads));
            return 0;
        }
    }
}
