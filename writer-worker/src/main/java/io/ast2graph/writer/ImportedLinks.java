package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.TypeReference;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The link step of a closed set of fragments, in memory: what {@link ReferenceLinker}, {@link CallLinker} and
 * {@link OverrideLinker} leave in the graph once every one of the fragments is written, for a first load that knows
 * every declaration before it writes anything (the bulk importer's). Each reference, call and override is settled
 * once, by the same rules ({@link ReferenceLinker#settle}, {@link CallLinker#settle}, {@link
 * OverrideLinker#overridden}); the declarations, the hierarchy and the methods come from the fragments instead of
 * the link step's reads, and nothing is read from the database. Nothing has to be settled again either: no
 * declaration arrives later.
 *
 * <p>References whose candidates include inherited member types need the hierarchy, which is itself made of
 * references ({@code EXTENDS}, {@code IMPLEMENTS}); they are settled after the others, in rounds, each from the
 * hierarchy the previous round left, until none moves (as the writer's rounds do within a batch, and its later
 * batches across them). Calls and overrides are settled once every type reference is, against the whole hierarchy.
 */
final class ImportedLinks {
    /** Rounds of settling inherited member types; as {@link Hierarchy#MAX_DEPTH}, a bound for cyclic inputs. */
    private static final int MAX_ROUNDS = Hierarchy.MAX_DEPTH;

    /**
     * The link step's part of the graph.
     *
     * @param edges the reference edges ({@code candidates} among their properties), the calls across files
     *              ({@code INVOKES} with {@code owners}), the overrides, and the placeholder methods' {@code DECLARES}
     * @param nodes shared nodes: the external placeholder types and methods, one per id
     */
    record Links(List<GraphRelationship> edges, List<GraphNode> nodes) {}

    private final List<GraphFragment> fragments;
    /** Fully qualified name → the ids of the types the fragments declare with it. */
    private final Map<String, List<String>> declared = new HashMap<>();
    /** Type id → its node, for every declared type. */
    private final Map<String, GraphNode> types = new HashMap<>();
    /** Type id → its direct supertypes' ids (EXTENDS first flag), over the fragments' own edges. */
    private final Map<String, List<Supertype>> ownSupertypes = new HashMap<>();
    /** Type id → its member types, by simple name. */
    private final Map<String, Map<String, List<String>>> memberTypes = new HashMap<>();
    /** Type id → the methods it declares. */
    private final Map<String, List<GraphNode>> methodsByType = new HashMap<>();
    /** Method id → its parameters. */
    private final Map<String, List<GraphNode>> parameters = new HashMap<>();

    private record Supertype(String id, boolean superclass) {}

    private ImportedLinks(List<GraphFragment> fragments) {
        this.fragments = fragments;
        Map<String, GraphNode> methods = new HashMap<>();
        Map<String, GraphNode> parameterNodes = new HashMap<>();
        for (GraphFragment fragment : fragments) {
            for (GraphNode node : fragment.nodes()) {
                if (node.shared()) {
                    continue;
                }
                switch (node.label()) {
                    case "Type" -> {
                        if (node.properties().get("external") == null && node.properties().get("fqn") instanceof String fqn) {
                            declared.computeIfAbsent(fqn, k -> new ArrayList<>()).add(node.id());
                            types.put(node.id(), node);
                        }
                    }
                    case "Method" -> methods.put(node.id(), node);
                    case "Parameter" -> parameterNodes.put(node.id(), node);
                    default -> { }
                }
            }
        }
        for (GraphFragment fragment : fragments) {
            for (GraphRelationship rel : fragment.relationships()) {
                boolean supertype = rel.type().equals("EXTENDS") || rel.type().equals("IMPLEMENTS");
                if (supertype && types.containsKey(rel.fromId())) {
                    ownSupertypes.computeIfAbsent(rel.fromId(), k -> new ArrayList<>())
                        .add(new Supertype(rel.toId(), rel.type().equals("EXTENDS")));
                } else if (rel.type().equals("DECLARES") && types.containsKey(rel.fromId())) {
                    if (types.containsKey(rel.toId())) {
                        memberTypes.computeIfAbsent(rel.fromId(), k -> new HashMap<>())
                            .computeIfAbsent(name(types.get(rel.toId())), k -> new ArrayList<>()).add(rel.toId());
                    } else if (methods.containsKey(rel.toId())) {
                        methodsByType.computeIfAbsent(rel.fromId(), k -> new ArrayList<>()).add(methods.get(rel.toId()));
                    }
                } else if (rel.type().equals("HAS") && methods.containsKey(rel.fromId())
                    && parameterNodes.containsKey(rel.toId())) {
                    parameters.computeIfAbsent(rel.fromId(), k -> new ArrayList<>()).add(parameterNodes.get(rel.toId()));
                }
            }
        }
    }

    private static String name(GraphNode node) {
        return String.valueOf(node.properties().get("name"));
    }

    /**
     * Settles every type reference, call and override of the given fragments.
     *
     * @param fragments the newest fragment of each file, tombstones left out ({@link WritePlan#latestPerFile})
     */
    static Links of(List<GraphFragment> fragments) {
        return new ImportedLinks(fragments).link();
    }

    private Links link() {
        stopIfCancelled();
        Map<TypeReference, ReferenceLinker.Target> references = settleReferences();
        stopIfCancelled();
        List<GraphRelationship> edges = new ArrayList<>(references.size());
        Map<String, GraphNode> nodes = new LinkedHashMap<>();
        references.forEach((reference, target) -> {
            edges.add(new GraphRelationship(reference.type(), reference.fromLabel(), reference.fromId(), "Type",
                target.id(), ReferenceLinker.props(reference, target)));
            if (target.external() != null) {
                nodes.computeIfAbsent(target.id(), id -> shared("Type", target.external()));
            }
        });
        Hierarchy hierarchy = hierarchy(references, nodes);
        stopIfCancelled();
        linkCalls(hierarchy, edges, nodes);
        stopIfCancelled();
        linkOverrides(hierarchy, edges);
        return new Links(edges, List.copyOf(nodes.values()));
    }

    /**
     * The bulk load runs this on a thread of its own and interrupts it when the load fails
     * ({@link BulkImportCsv#write}): its work is moot then, and the writers' fallback wants both cores.
     */
    private static void stopIfCancelled() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the link step was interrupted");
        }
    }

    /** A shared node of these properties ({@code id} among them, which the node carries apart). */
    private static GraphNode shared(String label, Map<String, Object> props) {
        Map<String, Object> rest = new HashMap<>(props);
        String id = (String) rest.remove("id");
        return new GraphNode(label, id, List.of(), rest, true);
    }

    // ---- type references ----

    private Map<TypeReference, ReferenceLinker.Target> settleReferences() {
        List<TypeReference> direct = new ArrayList<>();
        List<TypeReference> viaHierarchy = new ArrayList<>();
        for (GraphFragment fragment : fragments) {
            stopIfCancelled();
            for (TypeReference reference : fragment.references()) {
                boolean inherited = reference.candidates().stream().anyMatch(c -> c.resolution() == Resolution.INHERITED);
                (inherited ? viaHierarchy : direct).add(reference);
            }
        }
        Map<TypeReference, ReferenceLinker.Target> targets = new LinkedHashMap<>();
        for (TypeReference reference : direct) {
            targets.put(reference, ReferenceLinker.settle(reference, declared));
        }
        Map<TypeReference, ReferenceLinker.Target> inherited = new LinkedHashMap<>();
        for (int round = 0; round < MAX_ROUNDS && !viaHierarchy.isEmpty(); round++) {
            Map<TypeReference, ReferenceLinker.Target> settled = new LinkedHashMap<>(targets);
            settled.putAll(inherited);
            Hierarchy supertypes = hierarchy(settled, Map.of());
            Map<String, Collection<String>> known = new HashMap<>(declared);
            boolean moved = false;
            for (TypeReference reference : viaHierarchy) {
                for (Candidate candidate : reference.candidates()) {
                    if (candidate.resolution() == Resolution.INHERITED) {
                        String key = ReferenceLinker.inheritedKey(reference.origin(), candidate);
                        if (!known.containsKey(key)) {
                            String found = inheritedMember(reference.origin(), candidate, supertypes);
                            known.put(key, found == null ? List.of() : List.of(found));
                        }
                    }
                }
                ReferenceLinker.Target target = ReferenceLinker.settle(reference, known);
                ReferenceLinker.Target before = inherited.put(reference, target);
                moved |= before == null || !before.id().equals(target.id());
            }
            if (!moved) {
                break;
            }
        }
        targets.putAll(inherited);
        return targets;
    }

    private static boolean isSupertypeEdge(TypeReference reference) {
        return reference.type().equals("EXTENDS") || reference.type().equals("IMPLEMENTS");
    }

    /**
     * {@code ReferenceLinker.READ_INHERITED} in memory: of the member types named as the candidate that a supertype
     * of its enclosing type declares (up to {@link Hierarchy#MAX_DEPTH} edges up, from a declaration of the enclosing
     * type in the reference's source root), the nearest, then the smallest id.
     */
    private String inheritedMember(String origin, Candidate candidate, Hierarchy supertypes) {
        String enclosing = candidate.fqn().substring(0, candidate.fqn().lastIndexOf('.'));
        String best = null;
        int bestDepth = Integer.MAX_VALUE;
        for (String start : declared.getOrDefault(enclosing, List.of())) {
            if (!start.startsWith(origin + ":")) {
                continue;
            }
            for (var up : supertypes.distances(start).entrySet()) {
                int depth = up.getValue();
                if (depth == 0) {
                    continue; // the enclosing type's own member types are the parser's to settle
                }
                for (String member : memberTypes.getOrDefault(up.getKey(), Map.of()).getOrDefault(candidate.name(), List.of())) {
                    if (depth < bestDepth || depth == bestDepth && member.compareTo(Objects.requireNonNull(best)) < 0) {
                        best = member;
                        bestDepth = depth;
                    }
                }
            }
        }
        return best;
    }

    // ---- calls and overrides ----

    /**
     * Every declared type, and the given placeholder types, with the fragments' own supertype edges and those of the
     * settled references: the hierarchy the inherited lookups of a round go up, and once every reference is settled,
     * the one the calls and overrides do.
     */
    private Hierarchy hierarchy(Map<TypeReference, ReferenceLinker.Target> references, Map<String, GraphNode> placeholders) {
        Map<String, List<Supertype>> supertypes = new HashMap<>();
        ownSupertypes.forEach((id, ups) -> supertypes.put(id, new ArrayList<>(ups)));
        references.forEach((reference, target) -> {
            if (isSupertypeEdge(reference)) {
                supertypes.computeIfAbsent(reference.fromId(), k -> new ArrayList<>())
                    .add(new Supertype(target.id(), reference.type().equals("EXTENDS")));
            }
        });
        Map<String, Hierarchy.Type> all = new HashMap<>();
        Set<String> known = new HashSet<>(types.keySet());
        known.addAll(placeholders.keySet());
        for (GraphNode node : types.values()) {
            List<Supertype> ups = supertypes.getOrDefault(node.id(), List.of()).stream()
                .filter(up -> known.contains(up.id())).toList();
            all.put(node.id(), new Hierarchy.Type(node.id(), name(node), (String) node.properties().get("fqn"),
                (String) node.properties().get("binaryName"), false,
                ups.stream().filter(Supertype::superclass).map(Supertype::id).toList(),
                ups.stream().map(Supertype::id).toList()));
        }
        for (GraphNode node : placeholders.values()) {
            all.put(node.id(), new Hierarchy.Type(node.id(), name(node), (String) node.properties().get("fqn"),
                (String) node.properties().get("binaryName"), true, List.of(), List.of()));
        }
        return Hierarchy.of(all);
    }

    /** {@link CallLinker}'s reads, answered from the fragments and the settled hierarchy. */
    private CallLinker.Reads reads(Hierarchy hierarchy) {
        return new CallLinker.Reads() {
            @Override
            public Map<String, List<String>> declared(Set<String> fqns) {
                return declared;
            }

            @Override
            public Hierarchy hierarchy(Set<String> ids) {
                return hierarchy;
            }

            @Override
            public List<CallLinker.DeclaredMethod> declaredMethods(Map<String, Set<String>> namesByType) {
                List<CallLinker.DeclaredMethod> found = new ArrayList<>();
                namesByType.forEach((type, names) -> {
                    for (GraphNode method : methodsByType.getOrDefault(type, List.of())) {
                        if (names.contains(name(method))) {
                            found.add(new CallLinker.DeclaredMethod(type, method.id(), name(method),
                                ((Number) method.properties().get("arity")).intValue(),
                                (String) method.properties().get("signature"),
                                (String) method.properties().get("visibility")));
                        }
                    }
                });
                return found;
            }
        };
    }

    private void linkCalls(Hierarchy hierarchy, List<GraphRelationship> edges, Map<String, GraphNode> nodes) {
        List<CallLinker.Call> calls = new ArrayList<>();
        for (GraphFragment fragment : fragments) {
            stopIfCancelled();
            for (MethodReference call : fragment.calls()) {
                calls.add(new CallLinker.Call(call));
            }
        }
        if (calls.isEmpty()) {
            return;
        }
        CallLinker.Rows rows = CallLinker.rows(CallLinker.settle(reads(hierarchy), calls), List.of());
        for (Map<String, Object> type : rows.externalTypes()) {
            nodes.computeIfAbsent((String) type.get("id"), id -> shared("Type", props(type)));
        }
        for (Map<String, Object> placeholder : rows.placeholders()) {
            String id = (String) placeholder.get("id");
            if (!nodes.containsKey(id)) {
                nodes.put(id, shared("Method", props(placeholder)));
                edges.add(new GraphRelationship("DECLARES", "Type", (String) placeholder.get("owner"), "Method", id,
                    Map.of()));
            }
        }
        for (Map<String, Object> edge : rows.edges()) {
            edges.add(new GraphRelationship(CallLinker.INVOKES, "Method", (String) edge.get("from"), "Method",
                (String) edge.get("to"), props(edge)));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> row) {
        return (Map<String, Object>) row.get("props");
    }

    private void linkOverrides(Hierarchy hierarchy, List<GraphRelationship> edges) {
        Map<String, List<OverrideLinker.MethodInfo>> methods = new HashMap<>();
        methodsByType.forEach((type, declaredMethods) -> {
            for (GraphNode method : declaredMethods) {
                Map<String, Object> props = method.properties();
                if (!OverrideLinker.MethodInfo.overridable(name(method), props.get("static"), props.get("visibility"))) {
                    continue;
                }
                Object typeParameters = props.get("typeParameters");
                Set<Long> wildcards = new HashSet<>();
                for (GraphNode parameter : parameters.getOrDefault(method.id(), List.of())) {
                    Object variable = parameter.properties().get("typeVariable");
                    if (variable != null && !(typeParameters instanceof List<?> own && own.contains(variable))) {
                        wildcards.add(((Number) parameter.properties().get("index")).longValue());
                    }
                }
                methods.computeIfAbsent(type, k -> new ArrayList<>()).add(OverrideLinker.MethodInfo.of(method.id(),
                    name(method), (String) props.get("signature"), ((Number) props.get("arity")).intValue(),
                    (String) props.get("visibility"), Set.copyOf(wildcards), List.of()));
            }
        });
        stopIfCancelled();
        methods.forEach((type, declaredMethods) -> {
            stopIfCancelled();
            Hierarchy.Type owner = hierarchy.type(type);
            for (OverrideLinker.MethodInfo method : declaredMethods) {
                for (String overridden : OverrideLinker.overridden(type, owner.pkg(), method, hierarchy, methods)) {
                    edges.add(new GraphRelationship(OverrideLinker.OVERRIDES, "Method", method.id(), "Method",
                        overridden, Map.of()));
                }
            }
        });
    }
}
