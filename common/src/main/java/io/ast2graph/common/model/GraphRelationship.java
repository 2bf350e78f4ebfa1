package io.ast2graph.common.model;

import java.util.Map;
import java.util.Objects;

/**
 * One relationship of a fragment, between two nodes named by label and id (labels let the writer use the
 * uniqueness index of each end).
 */
public record GraphRelationship(String type, String fromLabel, String fromId, String toLabel, String toId,
                                Map<String, Object> properties) {
    public GraphRelationship {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fromLabel, "fromLabel");
        Objects.requireNonNull(fromId, "fromId");
        Objects.requireNonNull(toLabel, "toLabel");
        Objects.requireNonNull(toId, "toId");
        properties = Map.copyOf(properties);
    }
}
