package io.ast2graph.bench;

import io.ast2graph.common.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pipeline against this machine's own limits, on one corpus and in one run. Each round runs three processes one
 * after the other, so all three see the same machine: the parse limit (JavaParser alone on every core, in a child
 * JVM), the write limit (the raw {@code UNWIND MERGE} loader writing the corpus's rows from memory into an empty
 * Neo4j, in a child JVM) and the end-to-end {@code ./ast2graph scan} on the embedded default, into a fresh data folder.
 */
record PipelineBench(ChildCommands commands, Path work, Settings settings) {
    /** What a child JVM measured in its phase, written as JSON to the file its parent names. */
    record PhaseResult(long nanos, long rows) {
        double seconds() {
            return nanos / 1e9;
        }

        void writeTo(Path file) throws IOException {
            Json.mapper().writeValue(file.toFile(), this);
        }

        static PhaseResult readFrom(Path file) throws IOException {
            return Json.mapper().readValue(file.toFile(), PhaseResult.class);
        }
    }

    /**
     * @param bulk also run {@code ./ast2graph scan --bulk} in each round, after the scan through the writers ({@code
     *             --no-bulk}); without either flag a first scan of 200 files or more takes the bulk path
     * @param aotTraining a source folder other than the corpus, which a scan reads first to train the launcher's
     *                    ahead-of-time cache; the measured scans then run from it, as a user's scans after their first
     *                    do. Null: the scans run without the launcher's caches
     */
    record Settings(int rounds, int writerThreads, int batchRows, long pageCacheMb, boolean bulk, Path aotTraining) {
        Settings {
            if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
        }
    }

    /** One round's three processes, and the {@code --bulk} scan's (null when not run). */
    record Round(Measured parse, Measured write, Measured scan, Measured bulk) {
        /** End to end over parse + write; below 1 the stages overlap. */
        double overSum() {
            return overSum(scan);
        }

        /** End to end over the slower limit; 1 is the best a pipeline can do. */
        double overMax() {
            return overMax(scan);
        }

        double overSum(Measured endToEnd) {
            return endToEnd.seconds() / (parse.seconds() + write.seconds());
        }

        double overMax(Measured endToEnd) {
            return endToEnd.seconds() / Math.max(parse.seconds(), write.seconds());
        }
    }

    /** A phase's own time (as the process timed it) and its process's peak RSS. */
    record Measured(double seconds, long peakRssBytes) {}

    void run(Corpus corpus) throws Exception {
        Path tree = corpus.writeTo(work.resolve("corpus"));
        Path logs = Files.createDirectories(work.resolve("logs"));
        long files = corpus.files().size();
        long lines = corpus.lines();
        System.out.printf("corpus    %s: %,d files, %,d lines, %,d bytes%n", corpus.name(), files, lines, corpus.bytes());
        System.out.printf("machine   %s%n", Machine.describe());
        System.out.printf("settings  -Xmx%s per process, %d writer threads, %d-row batches, %d MiB page cache, %d rounds; logs in %s%n",
            commands.xmx(), settings.writerThreads(), settings.batchRows(), settings.pageCacheMb(), settings.rounds(), logs);
        System.out.println("round  phase                          time     files/s     lines/s      rows/s   peak RSS");

        if (settings.aotTraining() != null) {
            trainAotCache(logs);
        }
        List<Round> rounds = new ArrayList<>();
        long rows = 0;
        for (int r = 1; r <= settings.rounds(); r++) {
            Measured parse = phase("parse-" + r, tree, logs).measured;
            Phase write = phase("write-" + r, tree, logs);
            rows = write.result.rows();
            Measured scan = scan(r, false, tree, logs, files);
            Measured bulk = settings.bulk() ? scan(r, true, tree, logs, files) : null;
            Round round = new Round(parse, write.measured, scan, bulk);
            rounds.add(round);
            print(r + "", "parse limit (JavaParser alone)", parse, files, lines, 0);
            print(r + "", "write limit (raw UNWIND MERGE)", write.measured, files, lines, rows);
            print(r + "", "ast2graph scan --no-bulk", round.scan(), files, lines, rows);
            if (bulk != null) {
                print(r + "", "ast2graph scan --bulk", bulk, files, lines, rows);
            }
            System.out.printf("%-5d  end to end / (parse + write) = %.2f   end to end / max(parse, write) = %.2f   load %s%n",
                r, round.overSum(), round.overMax(), Machine.loadAverage());
            if (bulk != null) {
                System.out.printf("%-5d  --bulk: end to end / (parse + write) = %.2f   end to end / max(parse, write) = %.2f%n",
                    r, round.overSum(bulk), round.overMax(bulk));
            }
        }
        Measured parse = median(rounds, Round::parse);
        Measured write = median(rounds, Round::write);
        Measured scan = median(rounds, Round::scan);
        print("med", "parse limit (JavaParser alone)", parse, files, lines, 0);
        print("med", "write limit (raw UNWIND MERGE)", write, files, lines, rows);
        print("med", "ast2graph scan --no-bulk", scan, files, lines, rows);
        System.out.printf("median end to end / (parse + write) = %.2f (target ≤ 0.8)   end to end / max(parse, write) = %.2f (stretch ≤ 1.2)%n",
            Median.of(rounds.stream().map(Round::overSum).toList()), Median.of(rounds.stream().map(Round::overMax).toList()));
        if (settings.bulk()) {
            print("med", "ast2graph scan --bulk", median(rounds, Round::bulk), files, lines, rows);
            System.out.printf("median --bulk: end to end / (parse + write) = %.2f   end to end / max(parse, write) = %.2f%n",
                Median.of(rounds.stream().map(r -> r.overSum(r.bulk())).toList()),
                Median.of(rounds.stream().map(r -> r.overMax(r.bulk())).toList()));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double parsePerCore = files / parse.seconds() / cores;
        double writeFiles = files / write.seconds();
        System.out.printf("projection parse %,.0f files/s per core; the write limit here is %,.0f files/s, which parsing alone "
            + "would reach on %.1f cores (if the write limit held)%n", parsePerCore, writeFiles, writeFiles / parsePerCore);
    }

    private record Phase(Measured measured, PhaseResult result) {}

    /**
     * A first scan of the training folder through the launcher, which records what the JVM loads and profiles and
     * writes the ahead-of-time cache from it (its first {@code scan} after a build does, on JDK 25+).
     */
    private void trainAotCache(Path logs) throws Exception {
        Path cache = commands.aotCache();
        Files.deleteIfExists(cache); // one that another folder trained, or another jar
        Files.deleteIfExists(cache.resolveSibling("scan.failed"));
        Path dataDir = work.resolve("aot-training");
        List<String> command = commands.ast2graph("scan", "--no-progress", "--data-dir", dataDir.toString(), "--repo",
            "aot-training", settings.aotTraining().toString());
        MeasuredProcess.Finished finished = MeasuredProcess.run("aot-training", command, commands.launcherEnvWithCaches(),
            logs).orThrow();
        Bench.deleteTree(dataDir);
        if (!Files.exists(cache)) {
            throw new IllegalStateException("the launcher wrote no ahead-of-time cache at " + cache + " (it needs JDK 25 or "
                + "newer, and a training scan of 10 s or more); see " + logs);
        }
        System.out.printf("aot cache trained by a scan of %s: %.1f s with the cache's writing (%,d MiB); the scans below run from it%n",
            settings.aotTraining(), finished.seconds(), Files.size(cache) >> 20);
    }

    /** Runs {@code bench parse-phase} or {@code write-phase} in a child JVM and reads what it measured. */
    private Phase phase(String name, Path tree, Path logs) throws Exception {
        String kind = name.substring(0, name.indexOf('-'));
        Path result = work.resolve(name + ".json");
        List<String> args = new ArrayList<>(List.of(kind + "-phase", "--corpus", tree.toString(), "--result", result.toString()));
        Path phaseWork = work.resolve(name);
        if (kind.equals("write")) {
            args.addAll(List.of("--work-dir", phaseWork.toString(), "--threads", "" + settings.writerThreads(),
                "--batch-rows", "" + settings.batchRows(), "--page-cache-mb", "" + settings.pageCacheMb()));
        }
        MeasuredProcess.Finished finished = MeasuredProcess.run(name, commands.bench(args.toArray(String[]::new)), Map.of(), logs).orThrow();
        Bench.deleteTree(phaseWork);
        PhaseResult measured = PhaseResult.readFrom(result);
        return new Phase(new Measured(measured.seconds(), finished.peakRssBytes()), measured);
    }

    /**
     * Runs {@code ./ast2graph scan --no-bulk} (the writers), or {@code scan --bulk}, into a fresh data folder, prints its whole command's
     * time, and returns the scan's own time ({@link ScanSummary#seconds()}: the servers' start left out) and peak RSS.
     */
    private Measured scan(int round, boolean bulk, Path tree, Path logs, long files) throws Exception {
        String name = (bulk ? "bulk-" : "scan-") + round;
        Path dataDir = work.resolve(name);
        List<String> command = new ArrayList<>(commands.ast2graph("scan", "--no-progress", "--data-dir", dataDir.toString(),
            "--repo", "bench", "--writer-threads", "" + settings.writerThreads(), "--page-cache", settings.pageCacheMb() + "m"));
        // Both ways explicitly: unasked, a first scan of 200 files or more goes through the bulk importer.
        command.add(bulk ? "--bulk" : "--no-bulk");
        command.add(tree.toString());
        MeasuredProcess.Finished finished = MeasuredProcess.run(name, command, settings.aotTraining() == null
            ? commands.launcherEnv() : commands.launcherEnvWithCaches(), logs).orThrow();
        Bench.deleteTree(dataDir);
        ScanSummary summary = ScanSummary.parse(finished.output());
        if (summary.written() != files) {
            throw new IllegalStateException("the " + name + " wrote " + summary.written() + " of " + files + " files; see " + logs);
        }
        System.out.printf("%-5d  whole %s command %.1f s: the servers' start %.1f s, JVM start and shutdown %.1f s; graph %,d nodes, %,d relationships%n",
            round, bulk ? "scan --bulk" : "scan --no-bulk", finished.seconds(), summary.startupSeconds(),
            finished.seconds() - summary.seconds() - summary.startupSeconds(), summary.nodes(), summary.relationships());
        return new Measured(summary.seconds(), finished.peakRssBytes());
    }

    private static Measured median(List<Round> rounds, Function<Round, Measured> phase) {
        List<Measured> measured = rounds.stream().map(phase).toList();
        return new Measured(Median.of(measured.stream().map(Measured::seconds).toList()),
            (long) Median.of(measured.stream().map(m -> (double) m.peakRssBytes()).toList()));
    }

    private static void print(String round, String phase, Measured m, long files, long lines, long rows) {
        System.out.printf("%-5s  %-30s %6.1f s %,11.0f %,11.0f %11s %7d MiB%n", round, phase, m.seconds(), files / m.seconds(),
            lines / m.seconds(), rows == 0 ? "-" : String.format("%,.0f", rows / m.seconds()), m.peakRssBytes() >> 20);
    }
}
