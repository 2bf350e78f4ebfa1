package io.ast2graph.parser;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;

import io.ast2graph.common.model.TypeReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds fragments of test sources and spells their parts as short strings that assertions can compare whole. */
final class Fragments {
    static final String SCAN = "scan-1";
    static final String REPO = "repo";
    static final String SHA = "c0ffee";
    static final long VERSION = 7L;

    private static final FragmentBuilder BUILDER = new FragmentBuilder();

    private Fragments() {}

    static GraphFragment build(String path, String source) {
        return build(path, source.getBytes(UTF_8));
    }

    static GraphFragment build(String path, byte[] content) {
        return BUILDER.build(SCAN, REPO, path, SHA, VERSION, content);
    }

    /** The id of a type in source root {@code src/main/java} of the test repository. */
    static String typeId(String binaryName) {
        return REPO + ":src/main/java:" + binaryName;
    }

    /** The declaration vocabulary, which the declaration tests compare whole. */
    private static final Set<String> DECLARATION_RELATIONSHIPS = Set.of("DECLARES", "CONTAINS");

    /** Each declared node (parameters aside) as {@code Label[Extra] id}, in fragment order. */
    static List<String> nodes(GraphFragment fragment) {
        return fragment.nodes().stream()
            .filter(node -> !node.label().equals("Parameter"))
            .map(node -> node.label() + (node.extraLabels().isEmpty() ? "" : node.extraLabels().toString())
                + " " + node.id())
            .toList();
    }

    /** Each DECLARES and CONTAINS relationship as {@code fromId -TYPE-> toId}, in fragment order. */
    static List<String> relationships(GraphFragment fragment) {
        return fragment.relationships().stream()
            .filter(relationship -> DECLARATION_RELATIONSHIPS.contains(relationship.type()))
            .map(Fragments::describe).toList();
    }

    /**
     * Every type reference the fragment makes, settled in the file or not, as
     * {@code fromId -TYPE-> target (resolution)} where an unsettled target lists its candidates
     * {@code [resolution fqn!]} ({@code !} certain, {@code ?} fallback), in fragment order.
     */
    static List<String> references(GraphFragment fragment) {
        List<String> lines = new ArrayList<>();
        fragment.relationships().stream()
            .filter(relationship -> !DECLARATION_RELATIONSHIPS.contains(relationship.type())
                && !relationship.type().equals("HAS"))
            .forEach(relationship -> lines.add(describe(relationship) + " ("
                + relationship.properties().get("resolution") + ")"));
        for (TypeReference reference : fragment.references()) {
            lines.add(reference.fromId() + " -" + reference.type() + "-> " + reference.candidates().stream()
                .map(c -> c.resolution().value() + " " + c.fqn() + (c.certain() ? "!" : "") + (c.fallback() ? "?" : ""))
                .toList());
        }
        return lines;
    }

    static String describe(GraphRelationship relationship) {
        return relationship.fromId() + " -" + relationship.type() + "-> " + relationship.toId();
    }

    static GraphNode node(GraphFragment fragment, String id) {
        List<GraphNode> matches = fragment.nodes().stream().filter(node -> node.id().equals(id)).toList();
        assertThat(matches).as("nodes with id %s", id).hasSize(1);
        return matches.getFirst();
    }

    static Map<String, Object> properties(GraphFragment fragment, String id) {
        return node(fragment, id).properties();
    }

    static List<GraphNode> nodesLabelled(GraphFragment fragment, String label) {
        return fragment.nodes().stream().filter(node -> node.label().equals(label)).toList();
    }
}
