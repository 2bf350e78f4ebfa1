package io.ast2graph.common.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A relationship to a type that one file cannot settle alone: {@code OF_TYPE}, {@code RETURNS}, {@code EXTENDS}...
 * from a node of the fragment to whichever of its {@link Candidate}s the whole graph declares. The writer's link step
 * settles it once the declarations are known and settles it again when declarations appear or disappear; see
 * {@code docs/design-resolution.md}.
 *
 * @param type       the relationship type
 * @param fromLabel  the label of the node the relationship starts at
 * @param fromId     the id of that node, a node of the same fragment
 * @param origin     {@code repo:sourceRoot} of the referring file: when several declarations share a candidate's
 *                   fully qualified name, the one whose id starts with {@code origin + ":"} wins, then one of the
 *                   same repository
 * @param candidates the names the reference may mean, in the order the language looks them up; the first one the
 *                   graph declares wins, else the first {@link Candidate#certain() certain} one (an external type),
 *                   else the {@link Candidate#fallback() fallback} one with resolution {@code inferred}
 * @param properties what the edge says besides how it was resolved: an {@code ANNOTATED_BY} edge's annotation values
 *                   ({@code forRemoval: true}); empty for other references, and in messages from before it existed
 */
public record TypeReference(String type, String fromLabel, String fromId, String origin, List<Candidate> candidates,
                            Map<String, Object> properties) {
    /** The keys the link step keeps on every reference edge: no annotation value may take them. */
    public static final Set<String> EDGE_KEYS = Set.of("resolution", "candidates", "origin");

    public TypeReference {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fromLabel, "fromLabel");
        Objects.requireNonNull(fromId, "fromId");
        Objects.requireNonNull(origin, "origin");
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a type reference needs at least one candidate: " + type + " from " + fromId);
        }
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        if (properties.keySet().stream().anyMatch(EDGE_KEYS::contains)) {
            throw new IllegalArgumentException("a reference's properties may not use the keys " + EDGE_KEYS + ": "
                + properties.keySet() + " from " + fromId);
        }
    }

    /** A reference with no properties besides how it is resolved. */
    public TypeReference(String type, String fromLabel, String fromId, String origin, List<Candidate> candidates) {
        this(type, fromLabel, fromId, origin, candidates, Map.of());
    }

    /** How the reference was settled; the value of the {@code resolution} property of every reference edge. */
    public enum Resolution {
        /** Declared in the same file, written fully qualified, or implied by the language (a class extends Object). */
        EXACT,
        /** Named by a single-type import, or found in a package imported on demand ({@code java.lang} included). */
        IMPORT,
        /** A type of the referring file's own package, declared in another file. */
        PACKAGE,
        /**
         * A member type the enclosing type inherits from a supertype ({@code class B extends A.Builder}-style names
         * written without qualifier): the candidate's fqn is {@code <enclosing fqn>.<name>}, and the link step looks
         * for a member type of that name among the enclosing type's supertypes.
         */
        INHERITED,
        /** Nothing known declares any candidate: the edge points at a placeholder for the most likely one. */
        INFERRED;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Resolution of(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * One name a reference may mean.
     *
     * @param fqn        the fully qualified (canonical) name, {@code java.util.Map.Entry}
     * @param binaryName the binary name, {@code java.util.Map$Entry}: known for JDK types and declared types, else a
     *                   guess (segments after the first capitalised one are taken as member types)
     * @param resolution what settles the reference if this candidate is chosen
     * @param certain    the language leaves no later alternative: if the graph does not declare it, it is an external
     *                   type (a JDK type, a single-type import, a fully qualified name); later candidates are ignored
     * @param fallback   the candidate an unsettled reference points at, as an {@code inferred} placeholder
     */
    public record Candidate(String fqn, String binaryName, Resolution resolution, boolean certain, boolean fallback) {
        private static final String SEPARATOR = ";";

        public Candidate {
            Objects.requireNonNull(fqn, "fqn");
            Objects.requireNonNull(binaryName, "binaryName");
            Objects.requireNonNull(resolution, "resolution");
        }

        /** The simple name, which every candidate of one reference shares. */
        public String name() {
            return fqn.substring(fqn.lastIndexOf('.') + 1);
        }

        /**
         * One string, for the {@code candidates} list property a reference edge keeps so that the link step can
         * settle it again: {@code resolution;flags;fqn;binaryName} (flags: {@code c} certain, {@code f} fallback).
         */
        public String encoded() {
            String flags = (certain ? "c" : "") + (fallback ? "f" : "");
            return resolution.value() + SEPARATOR + flags + SEPARATOR + fqn + SEPARATOR + binaryName;
        }

        public static Candidate decode(String encoded) {
            String[] parts = encoded.split(SEPARATOR, -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an encoded candidate: '" + encoded + "'");
            }
            return new Candidate(parts[2], parts[3], Resolution.of(parts[0]), parts[1].contains("c"),
                parts[1].contains("f"));
        }
    }

    /** The candidates as {@link Candidate#encoded()} strings. */
    public List<String> encodedCandidates() {
        return candidates.stream().map(Candidate::encoded).toList();
    }

    public static List<Candidate> decodeCandidates(List<String> encoded) {
        return encoded.stream().map(Candidate::decode).toList();
    }
}
