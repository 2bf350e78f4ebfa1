package io.ast2graph.bench;

import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.model.ManifestEntry;
import io.ast2graph.embedded.EmbeddedKafka;
import io.ast2graph.producer.ChangeSet;
import io.ast2graph.producer.DigestedFile;
import io.ast2graph.producer.HashCache;
import io.ast2graph.producer.ManifestStore;
import io.ast2graph.producer.PublishResult;
import io.ast2graph.producer.SourcePublisher;
import io.ast2graph.producer.SourceWalker;
import io.ast2graph.producer.WalkResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The producer against the embedded broker, in REFERENCE mode (the embedded default): how many file references per
 * second it walks, hashes and publishes (Kafka acknowledged), and how long a rescan's change detection takes (read
 * the manifest, walk, hash, compare). The corpus is written to disk first, so the walk and the hashing read real files
 * (from the page cache, as on a rescan), and stamped as last modified an hour ago, as a checkout some time before the
 * scan would be: a file modified just before a scan is never taken from the {@link HashCache} (racy git).
 *
 * <p>Each publish round hashes twice, with this machine's hash cache (empty in round 1, as on a first scan; saved
 * after every round) and without it (every file read, as {@code --full} does), and publishes once.
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
        Path tree = work.resolve("corpus");
        FileTime checkedOut = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        for (Corpus.SourceFile file : corpus.files()) {
            Path target = tree.resolve(file.path());
            Files.createDirectories(target.getParent());
            Files.write(target, file.bytes());
            Files.setLastModifiedTime(target, checkedOut);
        }
        digestSpeed(corpus);
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

    /** SHA-256 alone, from memory, on one thread: what hashing costs without reading files. */
    private static void digestSpeed(Corpus corpus) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        long start = System.nanoTime();
        for (int round = 0; round < 3; round++) {
            for (Corpus.SourceFile file : corpus.files()) {
                sha256.update(file.bytes());
                bytes += file.bytes().length;
            }
            sha256.digest();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("sha-256  %,d MB from memory on one thread in %.2f s: %,.0f MB/s%n", bytes >> 20, seconds,
            bytes / 1e6 / seconds);
    }

    private PublishResult publishRounds(Path tree, Topics topics, KafkaProducer<String, byte[]> producer) throws Exception {
        var walker = new SourceWalker(SourceWalker.Settings.defaults());
        Path cacheFile = work.resolve("hash-cache.bin");
        System.out.println("publish  round   files  walk ms  cached hash ms (from cache)  full hash ms  publish ms"
            + "  publish refs/s  walk+cached hash+publish refs/s  walk+full hash+publish refs/s");
        List<Double> publishRates = new ArrayList<>();
        List<Double> cachedRates = new ArrayList<>();
        List<Double> fullRates = new ArrayList<>();
        PublishResult last = null;
        for (int round = 1; round <= rounds; round++) {
            Instant walkStarted = Instant.now();
            long t0 = System.nanoTime();
            WalkResult walk = walker.walk(tree);
            long t1 = System.nanoTime();
            DigestedFile.Hashed hashed = DigestedFile.hashAll(walk.files(), HashCache.load(cacheFile));
            long t2 = System.nanoTime();
            HashCache.empty(cacheFile).save(hashed.files(), walkStarted, path -> false);
            long t3 = System.nanoTime();
            DigestedFile.hashAll(walk.files(), null);
            long t4 = System.nanoTime();
            var publisher = new SourcePublisher(producer, topics,
                SourcePublisher.Settings.defaults(SourcePublisher.Mode.REFERENCE), Clock.systemUTC());
            last = publisher.publish("bench-" + round, "bench", System.currentTimeMillis(), ChangeSet.everything(hashed.files()));
            long t5 = System.nanoTime();
            double publishRate = last.published() / ((t5 - t4) / 1e9);
            double cachedRate = last.published() / ((t1 - t0 + t2 - t1 + t5 - t4) / 1e9);
            double fullRate = last.published() / ((t1 - t0 + t4 - t3 + t5 - t4) / 1e9);
            publishRates.add(publishRate);
            cachedRates.add(cachedRate);
            fullRates.add(fullRate);
            System.out.printf("         %5d  %6d  %7d  %14d (%10d)  %12d  %10d  %14.0f  %31.0f  %29.0f%n", round,
                last.published(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, hashed.fromCache(),
                (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000, publishRate, cachedRate, fullRate);
        }
        System.out.printf("median   publish %,.0f refs/s; walk + cached hash + publish %,.0f refs/s; "
            + "walk + full hash + publish %,.0f refs/s%n", Median.of(publishRates), Median.of(cachedRates), Median.of(fullRates));
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
        Path cacheFile = work.resolve("hash-cache.bin");
        System.out.println("rescan   round  manifest ms  walk ms  hash ms (from cache)  compare ms  total ms  changed");
        for (int round = 1; round <= rounds; round++) {
            try (var manifest = new ManifestStore(KafkaClients.reader(kafka, "bench-manifest-" + round), producer,
                topics.manifest(), "bench")) {
                long t0 = System.nanoTime();
                Map<String, ManifestEntry> previous = manifest.load(Duration.ofSeconds(60));
                long t1 = System.nanoTime();
                WalkResult walk = walker.walk(tree);
                long t2 = System.nanoTime();
                DigestedFile.Hashed hashed = DigestedFile.hashAll(walk.files(), HashCache.load(cacheFile));
                long t3 = System.nanoTime();
                ChangeSet changes = ChangeSet.between(previous, hashed.files(), walk.skipped(), List.of(""), false);
                long t4 = System.nanoTime();
                System.out.printf("         %5d  %11d  %7d  %7d (%10d)  %10d  %8d  %7d%n", round, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, hashed.fromCache(), (t4 - t3) / 1_000_000,
                    (t4 - t0) / 1_000_000, changes.size());
            }
        }
    }
}
