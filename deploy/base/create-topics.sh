#!/bin/sh
# Creates the pipeline's topics if missing, with the settings of common/.../TopicSetup.java (keep them in step):
# files and fragments with AST2GRAPH_TOPIC_PARTITIONS partitions (the most workers of one stage that can share the
# work), the fragments topic compacted, events kept 7 days, one partition per dead-letter topic, 16 MiB messages,
# and the compacted manifest of incremental rescans.
# Runs in the apache/kafka image (docker-compose topic-init, the Kubernetes topics Job). TLS/SASL: put the client
# properties (security.protocol, sasl.*, ssl.*) in the file KAFKA_CLIENT_CONFIG names.
set -eu
: "${AST2GRAPH_BOOTSTRAP_SERVERS:?set AST2GRAPH_BOOTSTRAP_SERVERS to the Kafka bootstrap servers}"
prefix=${AST2GRAPH_TOPIC_PREFIX:-ast2graph}
partitions=${AST2GRAPH_TOPIC_PARTITIONS:-12}
replication=${AST2GRAPH_TOPIC_REPLICATION_FACTOR:-1}
client_config=${KAFKA_CLIENT_CONFIG:-/etc/ast2graph/kafka-client/client.properties}
max_message=16777216
kafka_topics=${KAFKA_TOPICS_COMMAND:-/opt/kafka/bin/kafka-topics.sh}

# Word-split on purpose below: host:port lists and mounted paths hold no spaces.
connection="--bootstrap-server $AST2GRAPH_BOOTSTRAP_SERVERS"
if [ -f "$client_config" ]; then
  connection="$connection --command-config $client_config"
fi

create_topic() {
  topic=$1 count=$2
  shift 2
  echo "topic $topic: $count partitions, replication factor $replication, $*"
  # shellcheck disable=SC2086
  "$kafka_topics" $connection --create --if-not-exists --topic "$topic" \
    --partitions "$count" --replication-factor "$replication" "$@"
}

create_topic "$prefix.files" "$partitions" \
  --config compression.type=producer --config max.message.bytes=$max_message
# Compacted: the latest fragment of every file survives, so the graph can be rebuilt from this topic alone.
create_topic "$prefix.fragments" "$partitions" \
  --config cleanup.policy=compact --config compression.type=producer --config max.message.bytes=$max_message
create_topic "$prefix.events" "$partitions" --config retention.ms=604800000
create_topic "$prefix.files.dlq" 1 --config max.message.bytes=$max_message
create_topic "$prefix.fragments.dlq" 1 --config max.message.bytes=$max_message
# Compacted: the latest manifest entry (path → sha256 of the last completed scan) of every file, for incremental
# rescans. Few partitions: a scan reads the whole topic, and its entries are small.
manifest_partitions=$(( partitions < 4 ? partitions : 4 ))
create_topic "$prefix.manifest" "$manifest_partitions" \
  --config cleanup.policy=compact --config compression.type=producer
