package io.ast2graph.common.model;

import java.util.List;

/**
 * Node identities, derived from what a node is so that re-parsing a file yields the same ids.
 *
 * <p>A declared type is identified by its repository, its source root (the folder its package folders start in,
 * e.g. {@code src/main/java} or {@code java.base}) and its binary name: monorepos declare the same name in several
 * source roots (test fixtures, multi-release folders), and those must stay separate nodes. Members are identified
 * by their owner's id plus their name (fields) or signature (methods).
 */
public final class NodeIds {
    private NodeIds() {}

    public static String file(String repo, String path) {
        return repo + ":" + path;
    }

    public static String pkg(String fqn) {
        return fqn;
    }

    /** A module of a source root; binary names have no spaces, so it cannot be taken for a type's id. */
    public static String module(String repo, String sourceRoot, String name) {
        return repo + ":" + sourceRoot + ":module " + name;
    }

    public static String type(String repo, String sourceRoot, String binaryName) {
        return repo + ":" + sourceRoot + ":" + binaryName;
    }

    /**
     * A type the scan references but does not declare (the JDK, libraries): one shared node per fully qualified name,
     * whichever file references it.
     */
    public static String externalType(String fqn) {
        return "external:" + fqn;
    }

    /** {@code owner#name(T1,T2)}; constructors are named {@code <init>}. */
    public static String method(String ownerTypeId, String name, List<String> parameterTypes) {
        return ownerTypeId + "#" + signature(name, parameterTypes);
    }

    public static String signature(String name, List<String> parameterTypes) {
        return name + "(" + String.join(",", parameterTypes) + ")";
    }

    /** A method's parameter, by position. */
    public static String parameter(String methodId, int index) {
        return methodId + "@" + index;
    }

    public static String field(String ownerTypeId, String name) {
        return ownerTypeId + "#" + name;
    }
}
