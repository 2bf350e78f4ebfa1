package io.ast2graph.common.model;

import java.util.List;
import java.util.Objects;

/**
 * The graph one file contributes: the message on the fragments topic, keyed by {@link FileKey#of(String, String)}.
 * The writer replaces the file's previous subgraph with this one in one transaction.
 *
 * @param fileId        the id of the File node, which owns every non-shared node of the fragment
 * @param builderVersion the version of the fragment builder: the same file built by another builder may differ
 * @param problems      parse problems; a file that does not parse still yields its File node and these
 * @param references    relationships to types the file cannot settle alone, settled by the writer's link step;
 *                      empty in fragments from builders before version 2 (a missing JSON field reads as empty)
 * @param calls         method calls the file cannot settle alone ({@code INVOKES}), settled by the link step too;
 *                      empty in fragments from builders before version 3
 */
public record GraphFragment(String scanId, String repo, String path, String sha256, long version, String fileId,
                            int builderVersion, List<GraphNode> nodes, List<GraphRelationship> relationships,
                            List<ParseProblem> problems, List<TypeReference> references, List<MethodReference> calls) {
    public GraphFragment {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(fileId, "fileId");
        nodes = List.copyOf(nodes);
        relationships = List.copyOf(relationships);
        problems = List.copyOf(problems);
        references = references == null ? List.of() : List.copyOf(references);
        calls = calls == null ? List.of() : List.copyOf(calls);
    }

    /** A fragment without method calls to settle. */
    public GraphFragment(String scanId, String repo, String path, String sha256, long version, String fileId,
                         int builderVersion, List<GraphNode> nodes, List<GraphRelationship> relationships,
                         List<ParseProblem> problems, List<TypeReference> references) {
        this(scanId, repo, path, sha256, version, fileId, builderVersion, nodes, relationships, problems, references,
            List.of());
    }

    /** A fragment without references. */
    public GraphFragment(String scanId, String repo, String path, String sha256, long version, String fileId,
                         int builderVersion, List<GraphNode> nodes, List<GraphRelationship> relationships,
                         List<ParseProblem> problems) {
        this(scanId, repo, path, sha256, version, fileId, builderVersion, nodes, relationships, problems, List.of(),
            List.of());
    }

    public String key() {
        return FileKey.of(repo, path);
    }

    /** A fragment that removes the file's subgraph (the file was deleted). */
    public static GraphFragment tombstone(String scanId, String repo, String path, long version) {
        return new GraphFragment(scanId, repo, path, "", version, NodeIds.file(repo, path), 0,
            List.of(), List.of(), List.of());
    }

    public boolean isTombstone() {
        return nodes.isEmpty();
    }
}
