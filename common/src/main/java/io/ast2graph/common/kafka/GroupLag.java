package io.ast2graph.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** How far a consumer group is behind a topic, through the Admin API: what replay, rebuild and benchmarks wait on. */
public final class GroupLag {
    private GroupLag() {}

    /** The current end offset of every partition of {@code topic}. */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
        throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((p, info) -> end.put(p, info.offset()));
        return end;
    }

    /** Records of {@code targets} the group has not committed yet (a partition never committed counts from 0). */
    public static long behind(Admin admin, String group, Map<TopicPartition, Long> targets)
        throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        long behind = 0;
        for (var entry : targets.entrySet()) {
            OffsetAndMetadata offset = committed.get(entry.getKey());
            behind += Math.max(0, entry.getValue() - (offset == null ? 0 : offset.offset()));
        }
        return behind;
    }

    /**
     * Waits until the group committed up to {@code targets}, checking every {@code pollMillis}; gives up when
     * {@code keepWaiting} turns false (e.g. the workers died).
     *
     * @return true when caught up
     */
    public static boolean awaitCaughtUp(Admin admin, String group, Map<TopicPartition, Long> targets, long pollMillis,
                                        BooleanSupplier keepWaiting)
        throws InterruptedException, ExecutionException, TimeoutException {
        while (behind(admin, group, targets) > 0) {
            if (!keepWaiting.getAsBoolean()) {
                return false;
            }
            Thread.sleep(pollMillis);
        }
        return true;
    }
}
