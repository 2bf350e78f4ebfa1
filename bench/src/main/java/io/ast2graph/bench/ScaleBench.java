package io.ast2graph.bench;

import io.ast2graph.common.kafka.GroupLag;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.embedded.EmbeddedKafka;
import io.ast2graph.producer.ChangeSet;
import io.ast2graph.producer.DigestedFile;
import io.ast2graph.producer.ScanId;
import io.ast2graph.producer.SourcePublisher;
import io.ast2graph.producer.SourceWalker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The parser stage scaled out: N {@code ./ast2graph parser-worker} processes in one consumer group consume the file
 * references of a corpus (REFERENCE mode, the files on local disk) from one embedded broker, in this process, and
 * produce the fragments. Timed from the first reference published until the group committed the last one — a parser
 * commits only what the broker acknowledged — with no writer, so the figure is the parser stage's alone.
 */
record ScaleBench(ChildCommands commands, Path work, Settings settings) {
    record Settings(List<Integer> workers, int threadsPerWorker, int rounds, int partitions, boolean nativeMemory) {
        Settings {
            if (workers.isEmpty() || workers.stream().anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException("--workers must be counts of at least 1, was " + workers);
            }
            if (threadsPerWorker < 1) throw new IllegalArgumentException("--threads-per-worker must be at least 1, was " + threadsPerWorker);
            if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
        }
    }

    /** One run of N workers: its time, and each worker's peak RSS. */
    record Run(int workers, double seconds, List<Long> peakRssBytes) {}

    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    void run(Corpus corpus) throws Exception {
        Path tree = corpus.writeTo(work.resolve("corpus"));
        Path logs = Files.createDirectories(work.resolve("logs"));
        List<DigestedFile> files = DigestedFile.hashAll(new SourceWalker(SourceWalker.Settings.defaults()).walk(tree).files()).files();
        long lines = corpus.lines();
        System.out.printf("corpus    %s: %,d files, %,d lines%n", corpus.name(), files.size(), lines);
        System.out.printf("machine   %s%n", Machine.describe());
        System.out.printf("settings  %d parser thread(s) per worker, -Xmx%s per worker, %d partitions, %d round(s); logs in %s%n",
            settings.threadsPerWorker(), commands.xmx(), settings.partitions(), settings.rounds(), logs);
        System.out.println("workers  round     time     files/s     lines/s   peak RSS per worker (MiB)   load");
        Map<Integer, List<Double>> seconds = new LinkedHashMap<>();
        try (EmbeddedKafka broker = EmbeddedKafka.start(work.resolve("kafka"), 0, settings.partitions());
             Admin admin = Admin.create(KafkaSettings.of(broker.bootstrapServers()).base());
             KafkaProducer<String, byte[]> producer = KafkaClients.producer(KafkaSettings.of(broker.bootstrapServers()), "bench-scale")) {
            for (int workers : settings.workers()) {
                for (int round = 1; round <= settings.rounds(); round++) {
                    Run run = once(broker.bootstrapServers(), admin, producer, tree, files, workers, round, logs);
                    seconds.computeIfAbsent(workers, n -> new ArrayList<>()).add(run.seconds());
                    System.out.printf("%7d  %5d  %6.1f s %,11.0f %,11.0f   %-26s  %s%n", workers, round, run.seconds(),
                        files.size() / run.seconds(), lines / run.seconds(),
                        run.peakRssBytes().stream().map(b -> b >> 20).toList(), Machine.loadAverage());
                }
            }
        }
        printScaling(seconds, files.size());
    }

    private void printScaling(Map<Integer, List<Double>> seconds, int files) {
        Map<Integer, Double> rates = new LinkedHashMap<>();
        seconds.forEach((n, s) -> rates.put(n, files / Median.of(s)));
        int base = rates.keySet().stream().min(Integer::compare).orElseThrow();
        double perWorker = rates.get(base) / base;
        System.out.println("workers  median files/s   speed-up   efficiency (files/s per worker / the fewest workers')");
        rates.forEach((n, rate) -> System.out.printf("%7d  %,14.0f   %7.2f ×   %9.0f%%%n", n, rate, rate / rates.get(base),
            100 * rate / n / perWorker));
    }

    private Run once(String bootstrap, Admin admin, KafkaProducer<String, byte[]> producer, Path tree,
                     List<DigestedFile> files, int workers, int round, Path logs) throws Exception {
        String prefix = "scale-" + workers + "-" + round;
        Topics topics = Topics.withPrefix(prefix);
        TopicSetup.ensureTopics(admin, topics, settings.partitions(), (short) 1);
        String group = prefix + "-parser";
        List<MeasuredProcess> processes = new ArrayList<>();
        try {
            for (int i = 1; i <= workers; i++) {
                String name = prefix + "-worker-" + i;
                Map<String, String> env = new HashMap<>(commands.launcherEnv());
                env.putAll(Map.of("AST2GRAPH_BOOTSTRAP_SERVERS", bootstrap, "AST2GRAPH_TOPIC_PREFIX", prefix,
                    "AST2GRAPH_SOURCE_ROOT", tree.toString(), "AST2GRAPH_PARSER_THREADS", "" + settings.threadsPerWorker(),
                    "AST2GRAPH_METRICS_PORT", "0", "HOSTNAME", name));
                processes.add(MeasuredProcess.start(name, commands.ast2graph("parser-worker", "--group", group), env, logs));
            }
            // Each parser thread owns a consumer, so the group has a member per thread.
            awaitStableGroup(admin, group, processes, workers * settings.threadsPerWorker());
            long start = System.nanoTime();
            var publisher = new SourcePublisher(producer, topics, SourcePublisher.Settings.defaults(SourcePublisher.Mode.REFERENCE),
                Clock.systemUTC());
            publisher.publish(ScanId.next("bench", Clock.systemUTC()), "bench", System.currentTimeMillis(), ChangeSet.everything(files));
            if (!GroupLag.awaitCaughtUp(admin, group, GroupLag.endOffsets(admin, topics.files()), 100,
                () -> processes.stream().allMatch(MeasuredProcess::isAlive))) {
                throw new IllegalStateException("a parser worker exited before the group caught up; see " + logs);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (settings.nativeMemory()) {
                for (MeasuredProcess process : processes) {
                    NativeMemory.print(process.pid(), logs.resolve(prefix + "-" + process.pid() + "-nmt.txt"));
                }
            }
            List<Long> rss = new ArrayList<>();
            for (MeasuredProcess process : processes) {
                rss.add(process.stop(STOP_TIMEOUT).peakRssBytes());
            }
            return new Run(workers, elapsed, rss);
        } finally {
            for (MeasuredProcess process : processes) {
                if (process.isAlive()) process.stop(STOP_TIMEOUT);
            }
        }
    }

    /** Waits until all workers joined the group and it settled its assignment, so timing starts with every worker in. */
    private static void awaitStableGroup(Admin admin, String group, List<MeasuredProcess> processes, int members)
        throws Exception {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        while (true) {
            if (processes.stream().anyMatch(p -> !p.isAlive())) {
                throw new IllegalStateException("a parser worker exited before joining group " + group);
            }
            try {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(10, TimeUnit.SECONDS).get(group);
                if (description.members().size() == members && description.groupState() == GroupState.STABLE) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // the group does not exist until its first member joins
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + members + " consumers of " + processes.size()
                    + " parser workers did not join group " + group + " within " + JOIN_TIMEOUT);
            }
            Thread.sleep(200);
        }
    }
}
