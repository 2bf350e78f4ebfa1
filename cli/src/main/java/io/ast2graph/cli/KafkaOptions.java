package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.Topics;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where the Kafka cluster is; flags override the environment. */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", defaultValue = "${env:AST2GRAPH_BOOTSTRAP_SERVERS}",
        description = "Kafka bootstrap servers (host:port,...). Env: AST2GRAPH_BOOTSTRAP_SERVERS. "
            + "Without it, scan runs an embedded broker.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = "${env:AST2GRAPH_TOPIC_PREFIX:-ast2graph}",
        description = "Prefix of the pipeline's topics (default: ${DEFAULT-VALUE}). Env: AST2GRAPH_TOPIC_PREFIX.")
    String topicPrefix;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
        description = "Extra Kafka client property, e.g. security.protocol=SASL_SSL (repeatable). "
            + "Also read from env AST2GRAPH_KAFKA_<KEY> with dots as underscores.")
    Map<String, String> properties = new LinkedHashMap<>();

    boolean isSet() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    KafkaSettings settings() {
        return settings(bootstrapServers);
    }

    KafkaSettings settings(String servers) {
        Map<String, String> props = new LinkedHashMap<>();
        System.getenv().forEach((key, value) -> {
            if (key.startsWith("AST2GRAPH_KAFKA_")) {
                props.put(key.substring("AST2GRAPH_KAFKA_".length()).toLowerCase().replace('_', '.'), value);
            }
        });
        props.putAll(properties);
        return new KafkaSettings(servers, props);
    }

    Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }
}
