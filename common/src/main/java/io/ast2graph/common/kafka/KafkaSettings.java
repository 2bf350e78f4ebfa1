package io.ast2graph.common.kafka;

import org.apache.kafka.clients.CommonClientConfigs;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach the Kafka cluster: the bootstrap servers plus any client properties passed through unchanged
 * (security.protocol, sasl.*, ssl.*), so TLS and SASL need no code of ours.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--bootstrap-servers must name at least one host:port");
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /** The common client properties: bootstrap servers first, pass-through properties over them. */
    public Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(clientProperties);
        return props;
    }
}
