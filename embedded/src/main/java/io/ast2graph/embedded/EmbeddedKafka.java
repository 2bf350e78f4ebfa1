package io.ast2graph.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running inside this JVM: the
 * embedded default of {@code ast2graph scan} and the broker of the integration tests. Its log directory survives a
 * restart, so a data directory can be reused across scans.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final int defaultPartitions;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort, int defaultPartitions) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.defaultPartitions = defaultPartitions;
    }

    /**
     * Starts a broker whose data lives in {@code logDir}.
     *
     * @param brokerPort the client port on localhost, 0 for any free port
     */
    public static EmbeddedKafka start(Path logDir, int brokerPort, int defaultPartitions) throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(logDir.toAbsolutePath(),
            brokerPort == 0 ? FreePorts.pick() : brokerPort, FreePorts.pick(), defaultPartitions);
        kafka.startServer();
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    /** Stops the broker and starts it again on the same ports and data: a broker restart, as tests inject it. */
    public void restart() throws Exception {
        stopServer();
        startServer();
    }

    public void stopServer() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public void startServer() throws Exception {
        Files.createDirectories(logDir);
        Properties props = brokerProperties();
        format(KafkaConfig.fromProps(props, /* doLog= */ false));
        long start = System.nanoTime();
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        log.info("Kafka broker up at {} in {} ms (data: {})", bootstrapServers(),
            (System.nanoTime() - start) / 1_000_000, logDir);
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", String.valueOf(defaultPartitions));
        p.put("auto.create.topics.enable", "false");
        // One node: every internal topic has one replica; few partitions keep start-up fast.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "2");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The consumer group protocol (KIP-848) moves a partition between members at their heartbeats, 5 s apart by
        // default: the workers of an embedded scan, started just before it publishes, held a rescan's one file for
        // 5-10 s while their groups settled. Heartbeats over loopback cost nothing.
        p.put("group.consumer.min.heartbeat.interval.ms", "500");
        p.put("group.consumer.heartbeat.interval.ms", "500");
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.retention.check.interval.ms", "60000");
        return p;
    }

    /**
     * Formats the log directory on first use. A formatted directory keeps its cluster id (formatting it again with
     * another id would be refused), so the broker restarts on the data it had.
     */
    private void format(KafkaConfig config) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(config.nodeId())
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(logDir.toString()))
            .setMetadataLogDirectory(logDir.toString())
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setControllerListenerName("CONTROLLER")
            .setHasDynamicQuorum(false)
            .setIgnoreFormatted(true)
            .run();
    }

    @Override
    public void close() {
        stopServer();
    }
}
