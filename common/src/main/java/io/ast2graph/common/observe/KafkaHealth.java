package io.ast2graph.common.observe;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The readiness question every worker asks: does the Kafka cluster answer this process. */
public final class KafkaHealth {
    private KafkaHealth() {}

    /** Up when the cluster lists at least one broker within two seconds. */
    public static HealthCheck reachable(Admin admin) {
        return new HealthCheck("kafka", () -> {
            try {
                return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                    .nodes().get(3, TimeUnit.SECONDS).isEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        });
    }
}
