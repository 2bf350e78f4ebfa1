package io.ast2graph.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Both embedded servers start in one JVM and serve real clients: Kafka clients and the Bolt driver. */
class EmbeddedServersIT {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static EmbeddedNeo4j neo4j;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 3);
        neo4j = EmbeddedNeo4j.start(dir.resolve("neo4j"), 0, 64L * 1024 * 1024);
    }

    @AfterAll
    static void stop() {
        if (neo4j != null) neo4j.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void kafkaBrokerTakesAndServesRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("probe", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (var producer = new KafkaProducer<String, String>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("probe", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "probe",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("probe"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < 10 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        assertThat(values).hasSize(10).contains("v0", "v9");
    }

    @Test
    void neo4jAnswersOverBolt() {
        try (var driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.none());
             var session = driver.session()) {
            session.run("CREATE (:Probe {name: 'x'})").consume();
            long count = session.run("MATCH (p:Probe {name: 'x'}) RETURN count(p) AS c").single().get("c").asLong();
            assertThat(count).isEqualTo(1);
        }
    }

    @Test
    void neo4jSurvivesARestartWithItsData() {
        try (var driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.none())) {
            driver.executableQuery("MERGE (:Restart {id: 1})").execute();
            neo4j.stopServer();
            neo4j.startServer();
            long count = driver.executableQuery("MATCH (r:Restart) RETURN count(r) AS c").execute()
                .records().getFirst().get("c").asLong();
            assertThat(count).isEqualTo(1);
        }
    }

    @Test
    void kafkaRestartsOnItsOwnDataDirectory_regressionForReformattingWithANewClusterId() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("survives", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        kafka.restart();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).contains("survives");
        }
    }

    @Test
    void transactionLogsAreRotatedAndPrunedSoLongRunsDoNotFillTheDisk() {
        try (var driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.none())) {
            var settings = driver.executableQuery(
                    "SHOW SETTINGS YIELD name, value WHERE name IN ['db.tx_log.rotation.retention_policy', 'db.tx_log.rotation.size'] "
                        + "RETURN name, value ORDER BY name").execute().records().stream()
                .map(r -> r.get("name").asString() + "=" + r.get("value").asString()).toList();
            assertThat(settings).containsExactly("db.tx_log.rotation.retention_policy=256M size",
                "db.tx_log.rotation.size=64.00MiB");
        }
    }
}
