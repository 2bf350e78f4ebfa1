package io.ast2graph.cli;

import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.embedded.testing.SharedServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/base/create-topics.sh} (the compose topic-init service and the Kubernetes topics Job) creates the
 * topics exactly as {@link TopicSetup} does: same partitions, same topic configs. Runs the script with Kafka's own
 * {@code kafka-topics} (TopicCommand from kafka-tools) against the test broker.
 */
class CreateTopicsScriptIT {
    @Test
    void theScriptCreatesTheTopicsTopicSetupCreatesAndRerunsWithoutChange(@TempDir Path tmp) throws Exception {
        String servers = SharedServers.kafka().bootstrapServers();
        Topics fromJava = Topics.withPrefix("topics-java");
        Topics fromScript = Topics.withPrefix("topics-script");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            TopicSetup.ensureTopics(admin, fromJava, 3, (short) 1);

            Run first = runScript(tmp, servers);
            assertThat(first.exit()).as(first.output()).isZero();

            for (int i = 0; i < fromJava.all().size(); i++) {
                assertThat(describe(admin, fromScript.all().get(i)))
                    .as(fromScript.all().get(i))
                    .isEqualTo(describe(admin, fromJava.all().get(i)));
            }
            assertThat(describe(admin, fromScript.fragments())).containsEntry("cleanup.policy", "compact");

            Run again = runScript(tmp, servers);
            assertThat(again.exit()).as(again.output()).isZero();
        }
    }

    record Run(int exit, String output) {}

    private static Run runScript(Path tmp, String servers) throws IOException, InterruptedException {
        // kafka-topics.sh is `java ... org.apache.kafka.tools.TopicCommand`: the same, with this JVM's class path.
        Path kafkaTopics = tmp.resolve("kafka-topics");
        Files.writeString(kafkaTopics, "#!/bin/sh\nexec \"$TEST_JAVA\" -Xmx256m -cp \"$TEST_CLASSPATH\" "
            + "org.apache.kafka.tools.TopicCommand \"$@\"\n");
        Files.setPosixFilePermissions(kafkaTopics, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = DeploymentManifestsTest.ROOT.resolve("deploy/base/create-topics.sh");
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("TEST_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("TEST_CLASSPATH", System.getProperty("java.class.path"));
        env.put("KAFKA_TOPICS_COMMAND", kafkaTopics.toString());
        env.put("KAFKA_CLIENT_CONFIG", tmp.resolve("no-client.properties").toString());
        env.put("AST2GRAPH_BOOTSTRAP_SERVERS", servers);
        env.put("AST2GRAPH_TOPIC_PREFIX", "topics-script");
        env.put("AST2GRAPH_TOPIC_PARTITIONS", "3");
        env.put("AST2GRAPH_TOPIC_REPLICATION_FACTOR", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), output);
    }

    /**
     * Partition count and the configs set on the topic itself (not broker defaults). A topic the script just created
     * can be unknown to the broker's metadata for a moment (regression: UnknownTopicOrPartitionException in CI), so
     * this waits for it.
     */
    private static Map<String, String> describe(Admin admin, String topic) throws Exception {
        Map<String, String> description = new TreeMap<>();
        int partitions = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (partitions < 0) {
            try {
                partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                    || System.nanoTime() > deadline) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        description.put("partitions", String.valueOf(partitions));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        for (ConfigEntry entry : admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
            .get(resource).entries()) {
            if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                description.put(entry.name(), entry.value());
            }
        }
        return description;
    }
}
