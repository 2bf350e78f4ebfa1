package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.NodeIds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small hand-made fragments: one file declaring one class with the given methods, in a shared package. */
final class TestFragments {
    private TestFragments() {}

    static GraphFragment classWithMethods(String repo, String pkg, String className, long version, String sha,
                                          String... methods) {
        String path = "src/" + pkg.replace('.', '/') + "/" + className + ".java";
        String fileId = NodeIds.file(repo, path);
        String typeId = NodeIds.type(repo, "src", pkg + "." + className);
        List<GraphNode> nodes = new ArrayList<>();
        List<GraphRelationship> rels = new ArrayList<>();
        nodes.add(new GraphNode("File", fileId, List.of(), Map.of("repo", repo, "path", path, "sha256", sha,
            "version", version), false));
        nodes.add(new GraphNode("Package", NodeIds.pkg(pkg), List.of(), Map.of("fqn", pkg), true));
        nodes.add(new GraphNode("Type", typeId, List.of("Class"), Map.of("fqn", pkg + "." + className,
            "binaryName", pkg + "." + className, "name", className), false));
        rels.add(new GraphRelationship("DECLARES", "File", fileId, "Type", typeId, Map.of()));
        rels.add(new GraphRelationship("CONTAINS", "Package", NodeIds.pkg(pkg), "Type", typeId, Map.of()));
        for (String method : methods) {
            String methodId = NodeIds.method(typeId, method, List.of());
            nodes.add(new GraphNode("Method", methodId, List.of(), Map.of("name", method,
                "signature", NodeIds.signature(method, List.of()), "arity", 0L), false));
            rels.add(new GraphRelationship("DECLARES", "Type", typeId, "Method", methodId, Map.of()));
        }
        return new GraphFragment("scan-" + version, repo, path, sha, version, fileId, 1, nodes, rels, List.of());
    }

    static String typeId(String repo, String pkg, String className) {
        return NodeIds.type(repo, "src", pkg + "." + className);
    }
}
