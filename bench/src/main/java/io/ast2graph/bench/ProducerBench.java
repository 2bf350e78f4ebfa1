package io.ast2graph.bench;

import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.model.ManifestEntry;
import io.ast2graph.embedded.EmbeddedKafka;
import io.ast2graph.producer.ChangeSet;
import io.ast2graph.producer.DigestedFile;
import io.ast2graph.producer.ManifestStore;
import io.ast2graph.producer.PublishResult;
import io.ast2graph.producer.SourcePublisher;
import io.ast2graph.producer.SourceWalker;
import io.ast2graph.producer.WalkResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The producer against the embedded broker, in REFERENCE mode (the embedded default): how many file references per
 * second it walks, hashes and publishes (Kafka acknowledged), and how long a rescan's change detection takes (read
 * the manifest, walk, hash, compare). The corpus is written to disk first, so the walk and the hashing read real files
 * (from the page cache after the first round, as on a rescan).
 */
final class ProducerBench {
    private static final int PARTITIONS = 12;

    private final Path work;
    private final int rounds;

    ProducerBench(Path work, int rounds) {
        this.work = work;
        this.rounds = rounds;
    }

    void run(Corpus corpus) throws Exception {
        Path tree = corpus.writeTo(work.resolve("corpus"));
        try (EmbeddedKafka broker = EmbeddedKafka.start(work.resolve("kafka"), 0, PARTITIONS)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            Topics topics = Topics.withPrefix("bench");
            try (Admin admin = Admin.create(kafka.base())) {
                TopicSetup.ensureTopics(admin, topics, PARTITIONS, (short) 1);
            }
            try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "bench-producer")) {
                PublishResult last = publishRounds(tree, topics, producer);
                detectionRounds(tree, kafka, topics, producer, last);
            }
        }
    }

    private PublishResult publishRounds(Path tree, Topics topics, KafkaProducer<String, byte[]> producer) throws Exception {
        var walker = new SourceWalker(SourceWalker.Settings.defaults());
        System.out.println("publish  round   files  walk ms  hash ms  publish ms  publish refs/s  walk+hash+publish refs/s");
        List<Double> publishRates = new ArrayList<>();
        List<Double> totalRates = new ArrayList<>();
        PublishResult last = null;
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            WalkResult walk = walker.walk(tree);
            long t1 = System.nanoTime();
            DigestedFile.Hashed hashed = DigestedFile.hashAll(walk.files());
            long t2 = System.nanoTime();
            var publisher = new SourcePublisher(producer, topics,
                SourcePublisher.Settings.defaults(SourcePublisher.Mode.REFERENCE), Clock.systemUTC());
            last = publisher.publish("bench-" + round, "bench", System.currentTimeMillis(), ChangeSet.everything(hashed.files()));
            long t3 = System.nanoTime();
            double publishRate = last.published() / ((t3 - t2) / 1e9);
            double totalRate = last.published() / ((t3 - t0) / 1e9);
            publishRates.add(publishRate);
            totalRates.add(totalRate);
            System.out.printf("         %5d  %6d  %7d  %7d  %10d  %14.0f  %24.0f%n", round, last.published(),
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, publishRate, totalRate);
        }
        System.out.printf("median   publish %,.0f refs/s; walk + hash + publish %,.0f refs/s%n",
            Median.of(publishRates), Median.of(totalRates));
        return last;
    }

    private void detectionRounds(Path tree, KafkaSettings kafka, Topics topics, KafkaProducer<String, byte[]> producer,
                                 PublishResult published) throws Exception {
        long version = System.currentTimeMillis();
        List<ManifestEntry> entries = new ArrayList<>();
        published.sha256ByPath().forEach((path, sha) -> entries.add(new ManifestEntry("bench", path, sha, version, "bench")));
        try (var manifest = new ManifestStore(KafkaClients.reader(kafka, "bench-manifest"), producer, topics.manifest(), "bench")) {
            manifest.load(Duration.ofSeconds(60));
            long start = System.nanoTime();
            manifest.record(entries, Map.of(), Duration.ofSeconds(60));
            System.out.printf("manifest of %,d files recorded in %d ms%n", entries.size(), (System.nanoTime() - start) / 1_000_000);
        }
        // One file changed, as a rescan after an edit would find it.
        Path edited = tree.resolve(entries.getFirst().path());
        Files.writeString(edited, Files.readString(edited) + "\n// edited\n");
        var walker = new SourceWalker(SourceWalker.Settings.defaults());
        System.out.println("rescan   round  manifest ms  walk ms  hash ms  compare ms  total ms  changed");
        for (int round = 1; round <= rounds; round++) {
            try (var manifest = new ManifestStore(KafkaClients.reader(kafka, "bench-manifest-" + round), producer,
                topics.manifest(), "bench")) {
                long t0 = System.nanoTime();
                Map<String, ManifestEntry> previous = manifest.load(Duration.ofSeconds(60));
                long t1 = System.nanoTime();
                WalkResult walk = walker.walk(tree);
                long t2 = System.nanoTime();
                DigestedFile.Hashed hashed = DigestedFile.hashAll(walk.files());
                long t3 = System.nanoTime();
                ChangeSet changes = ChangeSet.between(previous, hashed.files(), walk.skipped(), List.of(""), false);
                long t4 = System.nanoTime();
                System.out.printf("         %5d  %11d  %7d  %7d  %10d  %8d  %7d%n", round, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (t4 - t0) / 1_000_000,
                    changes.size());
            }
        }
    }
}
