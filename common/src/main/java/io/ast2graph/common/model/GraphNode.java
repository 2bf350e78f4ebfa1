package io.ast2graph.common.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One node of a fragment.
 *
 * @param label       the primary label, which carries the uniqueness constraint on {@code id} (File, Package, Type...)
 * @param id          the node's identity, derived from what it is ({@link NodeIds}), never random
 * @param extraLabels further labels (the kind of a type: Class, Interface...; Constructor)
 * @param properties  property values: strings, booleans, longs, doubles, or lists of strings
 * @param shared      true for nodes that several files contribute to (packages, external types): the writer merges
 *                    them but never deletes them with a file's subgraph
 */
public record GraphNode(String label, String id, List<String> extraLabels, Map<String, Object> properties, boolean shared) {
    public GraphNode {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(id, "id");
        extraLabels = List.copyOf(extraLabels);
        properties = Map.copyOf(properties);
    }
}
