package io.ast2graph.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the pipeline's topics if they do not exist yet; existing topics are left as they are. */
public final class TopicSetup {
    private TopicSetup() {}

    /**
     * @param partitions        partitions of the files and fragments topics: the most workers of one stage that can
     *                          share the work
     * @param replicationFactor 1 for a single broker, 3 in production
     */
    public static void ensureTopics(Admin admin, Topics topics, int partitions, short replicationFactor)
        throws InterruptedException {
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("--partitions must be between 1 and 10000, was " + partitions);
        }
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic topic : definitions(topics, partitions, replicationFactor)) {
                if (!existing.contains(topic.name())) {
                    missing.add(topic);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // Another worker created it between our list and our create: that is what we wanted.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the pipeline topics " + topics.all() + ": " + e.getMessage(), e);
        }
    }

    static List<NewTopic> definitions(Topics topics, int partitions, short replicationFactor) {
        String maxMessage = String.valueOf(16 * 1024 * 1024);
        return List.of(
            new NewTopic(topics.files(), partitions, replicationFactor).configs(Map.of(
                TopicConfig.COMPRESSION_TYPE_CONFIG, "producer",
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage)),
            // Compacted: the latest fragment of every file survives, and a tombstone (null value) removes a deleted
            // file, so the graph can be rebuilt from this topic alone.
            new NewTopic(topics.fragments(), partitions, replicationFactor).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.COMPRESSION_TYPE_CONFIG, "producer",
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage)),
            new NewTopic(topics.events(), partitions, replicationFactor).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000))),
            new NewTopic(topics.filesDlq(), 1, replicationFactor).configs(Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage)),
            new NewTopic(topics.fragmentsDlq(), 1, replicationFactor).configs(Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage)),
            // Compacted: the latest entry of every file survives, and a deleted file's tombstone is forgotten after
            // delete.retention.ms. Few partitions: a scan reads the whole topic, and its entries are small.
            new NewTopic(topics.manifest(), Math.min(partitions, 4), replicationFactor).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")));
    }
}
