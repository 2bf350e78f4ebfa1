package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.NodeIds;
import io.ast2graph.common.model.TypeReference;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;
import org.neo4j.driver.SimpleQueryRunner;
import org.neo4j.driver.Value;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The link step of method calls: settles each {@link MethodReference} of a batch to the {@code Method} it invokes,
 * and settles again the {@code INVOKES} edges the batch's changes affect. Runs in the batch's transaction after the
 * type references are linked (the hierarchy lookups need the batch's own {@code EXTENDS} and {@code IMPLEMENTS}), under
 * the same name locks; see {@code docs/design-resolution.md}, "Method calls".
 *
 * <p>For each owner option in order: the option's type is settled like a type reference; if the graph declares it,
 * its hierarchy (the type, then its supertypes over {@code EXTENDS}/{@code IMPLEMENTS}, nearest first) is searched for
 * a method of the call's name and arity (a varargs method also takes more arguments); among overloads of one arity the
 * argument types choose, else the call is {@code inferred} to the first signature. When no option's hierarchy declares
 * the method, the call goes to an external placeholder {@code (:Method {external: true})} declared by the first option's
 * type if it is external, else by the nearest external supertype of it that can have the method (
 * {@code java.lang.Object} only for Object's own methods).
 *
 * <p>An {@code INVOKES} edge keeps what settling it again needs: {@code owners} ({@link MethodReference#encodedOwners()}),
 * {@code arity}, {@code args}, {@code origin} and {@code ownerType} (the id of the type the call was made on, as
 * settled), besides {@code line} and {@code resolution}. Settled again are the calls into methods the batch deletes
 * (before the sweep removes the edges), the calls into placeholders of types the batch declares for the first time,
 * the calls made on a type of a new type's simple name that name the new type among their candidates, and the calls
 * made on a type, or a subtype of a type, whose supertype edge moved, and the calls made on a type, or below it, that
 * declares a method of their name for the first time (an override added in the middle of a hierarchy): whichever
 * file arrives first, a call ends where a one-shot write of the same files puts it.
 */
final class CallLinker {
    /** {@code java.lang.Object}, whose public methods every interface has as members. */
    private static final Candidate OBJECT =
        new Candidate("java.lang.Object", "java.lang.Object", Resolution.EXACT, /* certain= */ true, /* fallback= */ false);
    /** Object's public methods by name and arity: {@code toString/0}, {@code equals/1}, {@code wait/2}, ... */
    private static final Set<String> OBJECT_METHODS = java.util.Arrays.stream(Object.class.getMethods())
        .map(m -> m.getName() + "/" + m.getParameterCount()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    static final String INVOKES = "INVOKES";

    /** INVOKES edges into methods the batch's sweep is about to delete. */
    private static final String READ_CALLS_INTO_REMOVED = """
        UNWIND $files AS f
        MATCH (:File {id: f.id})-[:DECLARES*1..]->(m:Method)
        WHERE NOT m.id IN f.keep
        MATCH (m)<-[r:INVOKES]-(caller:Method)
        WHERE r.owners IS NOT NULL
        RETURN caller.id AS from, m.name AS name, r.owners AS owners, r.arity AS arity, r.args AS args,
               r.line AS line, r.origin AS origin, m.id AS target, r.resolution AS resolution,
               r.ownerType AS ownerType""";

    /**
     * INVOKES edges into the placeholder methods of placeholder types: those type references moved away from, and
     * those of the types the batch declares for the first time (a call parked on a declared type's supertype, which
     * was not in the graph yet, goes up the hierarchy from there).
     */
    private static final String READ_CALLS_INTO_PLACEHOLDERS = """
        UNWIND $ids AS id
        MATCH (:Type {id: id})-[:DECLARES]->(m:Method)<-[r:INVOKES]-(caller:Method)
        WHERE m.external AND r.owners IS NOT NULL
        RETURN caller.id AS from, m.name AS name, r.owners AS owners, r.arity AS arity, r.args AS args,
               r.line AS line, r.origin AS origin, m.id AS target, r.resolution AS resolution,
               r.ownerType AS ownerType""";

    /**
     * INVOKES edges made on a type of a name the batch declares for the first time, whose owner options name one of
     * the new types: settled on a later candidate ({@code StringUTF16.getChar(..)} in {@code sun.nio.cs} went to
     * {@code java.lang.StringUTF16}, the on-demand candidate, before the same package's {@code StringUTF16} was
     * declared), or parked on the fallback candidate ({@code new Deflater()} in {@code java.util.zip}, whose
     * on-demand static import of {@code ZipConstants64.*} is the fallback). Wherever the call's method was found, the
     * type it was made on ({@code ownerType}) has the option's simple name: the types come from the {@code Type(name)}
     * index, their calls from the {@code INVOKES(ownerType)} index. So each name is matched against the new types of
     * that name only: against all of them, the check grew with the square of the batch's declarations.
     */
    private static final String READ_CALLS_ON_TYPES_NAMED = """
        UNWIND $rows AS row
        MATCH (t:Type {name: row.name})
        MATCH (caller:Method)-[r:INVOKES {ownerType: t.id}]->(m:Method)
        WHERE any(o IN r.owners WHERE any(fqn IN row.fqns WHERE o CONTAINS (';' + fqn + ';')))
        RETURN caller.id AS from, m.name AS name, r.owners AS owners, r.arity AS arity, r.args AS args,
               r.line AS line, r.origin AS origin, m.id AS target, r.resolution AS resolution,
               r.ownerType AS ownerType""";

    /** Which of the batch's declared methods the graph does not hold yet: their keys. */
    private static final String READ_NEW_METHOD_NAMES = """
        UNWIND $methods AS m
        OPTIONAL MATCH (existing:Method {id: m.id})
        WITH m WHERE existing IS NULL
        RETURN DISTINCT m.key AS name""";

    /** The given types and their subtypes in the graph, each with the given type it is (below). */
    private static final String READ_TYPES_BELOW = """
        UNWIND $ids AS id
        MATCH (t:Type {id: id})
        OPTIONAL MATCH (sub:Type)-[:EXTENDS|IMPLEMENTS*1..12]->(t)
        WITH id, t, collect(DISTINCT sub) AS subs
        UNWIND [t] + subs AS type
        WITH DISTINCT id, type WHERE type.external IS NULL
        RETURN id AS above, type.id AS id, type.name AS name""";

    /**
     * INVOKES edges made on the given types ({@code ownerType}, through its index), of the given method names or, with
     * none given, of any name. Two cases need them, both with the types below found by {@link #READ_TYPES_BELOW}:
     * <ul>
     *   <li>an EXTENDS or IMPLEMENTS edge of a type moved, so the hierarchy the methods of calls made on it or its
     *       subtypes are looked up in changed (a call parked on {@code X509Certificate} while its
     *       {@code extends Certificate} pointed at the JDK's {@code java.security.Certificate}, which has no
     *       {@code getEncoded()}, must go to {@code java.security.cert.Certificate}'s once that is declared);</li>
     *   <li>a type declares a method for the first time, which may stand between the type a call of its name was made
     *       on and the method the call was settled to (an override added in the middle of a hierarchy takes the
     *       calls made below it).</li>
     * </ul>
     */
    private static final String READ_CALLS_MADE_ON = """
        UNWIND $types AS row
        MATCH (caller:Method)-[r:INVOKES {ownerType: row.id}]->(m:Method)
        WHERE r.owners IS NOT NULL AND (row.names IS NULL OR m.name IN row.names)
        RETURN caller.id AS from, m.name AS name, r.owners AS owners, r.arity AS arity, r.args AS args,
               r.line AS line, r.origin AS origin, m.id AS target, r.resolution AS resolution,
               r.ownerType AS ownerType""";

    /**
     * INVOKES edges made from inside the given types (by their methods and their member types' methods) whose call
     * names more than one owner option, of the given method names or, with none given, of any name. An unqualified
     * call in a member type has the member type, then its enclosing types, as options: {@code initialize()} in
     * {@code Outer.Task} is made on {@code Task}, or parked there, while {@code Outer}'s superclass in another file
     * may be the one that declares it. When the hierarchy of {@code Outer} changes, the calls made on {@code Outer} are
     * found by {@code ownerType} ({@link #READ_CALLS_MADE_ON}); these, made on an earlier option, are found here.
     */
    private static final String READ_CALLS_MADE_INSIDE = """
        UNWIND $types AS row
        MATCH (:Type {id: row.id})-[:DECLARES*1..]->(caller:Method)-[r:INVOKES]->(m:Method)
        WHERE r.owners IS NOT NULL AND size(r.owners) > 1 AND (row.names IS NULL OR m.name IN row.names)
        RETURN caller.id AS from, m.name AS name, r.owners AS owners, r.arity AS arity, r.args AS args,
               r.line AS line, r.origin AS origin, m.id AS target, r.resolution AS resolution,
               r.ownerType AS ownerType""";

    /**
     * INVOKES edges made in files that import the given types' members statically ({@code IMPORTS {static: true}}),
     * whose call names more than one owner option, of the given method names or, with none given, of any name. An
     * unqualified call names the enclosing types, then the statically imported ones: when an imported type is
     * declared, or its hierarchy changes, the call may move there, while it was made on, or parked on, an earlier
     * option ({@code getlinelen(..)} in {@code LinuxFileSystem}, through
     * {@code import static sun.nio.fs.LinuxNativeDispatcher.*}, is declared by the superclass
     * {@code UnixNativeDispatcher}). Neither {@link #READ_CALLS_MADE_ON} nor {@link #READ_CALLS_MADE_INSIDE} finds it.
     */
    private static final String READ_CALLS_OF_STATIC_IMPORTERS = """
        UNWIND $types AS row
        MATCH (:Type {id: row.id})<-[i:IMPORTS]-(:File)-[:DECLARES*1..]->(caller:Method)-[r:INVOKES]->(m:Method)
        WHERE i.static AND r.owners IS NOT NULL AND size(r.owners) > 1 AND (row.names IS NULL OR m.name IN row.names)
        RETURN caller.id AS from, m.name AS name, r.owners AS owners, r.arity AS arity, r.args AS args,
               r.line AS line, r.origin AS origin, m.id AS target, r.resolution AS resolution,
               r.ownerType AS ownerType""";

    /**
     * Calls parked on a placeholder of a name the batch now declares somewhere: their owner's hierarchy may reach the
     * new method (its type's supertypes were not all in the graph when the call was settled).
     */
    private static final String READ_PARKED_CALLS = """
        UNWIND $owners AS row
        MATCH (:Type {id: row.owner})-[:DECLARES]->(m:Method)<-[r:INVOKES]-(caller:Method)
        WHERE m.name IN row.names AND m.external AND r.resolution = 'inferred' AND r.owners IS NOT NULL
        RETURN caller.id AS from, m.name AS name, r.owners AS owners, r.arity AS arity, r.args AS args,
               r.line AS line, r.origin AS origin, m.id AS target, r.resolution AS resolution,
               r.ownerType AS ownerType""";

    /** The external nodes the edges a sweep deletes point at: they may be left with nothing pointing at them. */
    private static final String READ_EXTERNAL_TARGETS = """
        UNWIND $files AS f
        MATCH (:File {id: f.id})-[:DECLARES|HAS*0..]->(n)-[r]->(t)
        WHERE t.external AND NOT n:Package
        RETURN DISTINCT t.id AS id, t.name AS name, 'Method' IN labels(t) AS method""";

    private static final String DELETE_ABANDONED_PLACEHOLDER_TYPES = """
        UNWIND $ids AS id
        MATCH (t:Type {id: id})
        WHERE t.external AND NOT (t)--()
        DELETE t""";

    /**
     * The methods of the given names declared by the given types (of the batch's calls' hierarchies): the call linker
     * searches the {@link Hierarchy} for them.
     */
    private static final String READ_DECLARED_METHODS = """
        UNWIND $rows AS row
        MATCH (:Type {id: row.type})-[:DECLARES]->(m:Method)
        WHERE m.name IN row.names
        RETURN row.type AS type, m.id AS id, m.name AS name, m.arity AS arity, m.signature AS signature,
               m.visibility AS visibility""";

    private static final String READ_EXISTING_METHODS = """
        UNWIND $ids AS id
        MATCH (m:Method {id: id})
        RETURN m.id AS id""";

    private static final String MERGE_PLACEHOLDER_METHODS = """
        UNWIND $rows AS row
        MATCH (t:Type {id: row.owner})
        MERGE (m:Method {id: row.id}) ON CREATE SET m += row.props
        MERGE (t)-[:DECLARES]->(m)""";

    /** Deletes call edges by their key: ends, owner options, arity and argument types (see {@link #MERGE_CALLS}). */
    private static final String DELETE_STALE_CALLS = """
        UNWIND $rows AS row
        MATCH (:Method {id: row.from})-[r:INVOKES]->(:Method {id: row.to})
        WHERE r.owners = row.owners AND r.arity = row.arity AND r.args = row.args
        DELETE r""";

    /**
     * One edge per caller, callee and call as the link step settles it (owner options, arity, argument types): two
     * calls of one method that land on one target today may part when a declaration changes, and each must keep
     * what settling it again needs. An edge the parser settled in the file (no owners) is another edge, which no
     * settling touches.
     */
    private static final String MERGE_CALLS = """
        UNWIND $rows AS row
        MATCH (a:Method {id: row.from})
        MATCH (b:Method {id: row.to})
        MERGE (a)-[r:INVOKES {owners: row.props.owners, arity: row.props.arity, args: row.props.args}]->(b)
        SET r += row.props""";

    /**
     * Placeholder methods no call points at any more, and then placeholder types left with no relationship. A plain
     * DELETE of the type: should another writer link to it at the same moment, the transaction fails and is retried.
     */
    private static final String DELETE_ABANDONED_PLACEHOLDERS = """
        UNWIND $ids AS id
        MATCH (t:Type)-[d:DECLARES]->(m:Method {id: id})
        WHERE m.external AND NOT (m)<-[:INVOKES]-()
        DELETE d, m
        WITH DISTINCT t
        WHERE t.external AND NOT (t)--()
        DELETE t""";

    private CallLinker() {}

    /**
     * A call to settle, and where its edge points now, how it was resolved and on which type, if it exists already
     * (null when it does not).
     */
    record Call(MethodReference reference, String currentTarget, String currentResolution, String currentOwnerType) {
        Call(MethodReference reference) {
            this(reference, null, null, null);
        }
    }

    /** What the call linker reads before the sweep. */
    record Before(List<Call> orphaned, Set<String> newMethodNames, List<Placeholder> sweptTargets) {}

    /** A placeholder node an edge the sweep deletes points at. */
    record Placeholder(String id, String name, boolean method) {}

    /**
     * Reads, before the sweep and under the name locks, the calls into methods the sweep deletes, the placeholders
     * the swept edges point at, and the names of the methods the batch declares for the first time (before its nodes
     * are written, with {@link ReferenceLinker#newTypes}).
     */
    static Set<String> newMethodNames(SimpleQueryRunner tx, List<GraphFragment> toWrite) {
        // Keyed by the declaring type (its id, and its placeholder's from its fully qualified name) and the method's
        // name: only calls parked on a placeholder of that very type, and calls of that name made on the type or
        // below it, are settled again (re-reading every parked call of a common name such as get() for every batch
        // made the first scan quadratic).
        List<Map<String, Object>> methods = new ArrayList<>();
        for (GraphFragment fragment : toWrite) {
            Map<String, String> fqns = new java.util.HashMap<>();
            fragment.nodes().stream().filter(n -> n.label().equals("Type"))
                .forEach(n -> fqns.put(n.id(), String.valueOf(n.properties().get("fqn"))));
            Map<String, String> names = new java.util.HashMap<>();
            fragment.nodes().stream().filter(n -> n.label().equals("Method"))
                .forEach(n -> names.put(n.id(), String.valueOf(n.properties().get("name"))));
            for (var rel : fragment.relationships()) {
                String fqn = fqns.get(rel.fromId());
                String name = names.get(rel.toId());
                if (rel.type().equals("DECLARES") && fqn != null && name != null) {
                    methods.add(Map.of("id", rel.toId(),
                        "key", rel.fromId() + "\u0000" + NodeIds.externalType(fqn) + "\u0000" + name));
                }
            }
        }
        Set<String> names = new TreeSet<>();
        if (!methods.isEmpty()) {
            tx.run(READ_NEW_METHOD_NAMES, Map.of("methods", methods)).forEachRemaining(r -> names.add(r.get("name").asString()));
        }
        return names;
    }

    static Before beforeSweep(SimpleQueryRunner tx, List<Map<String, Object>> sweeps, Set<String> newMethodNames) {
        if (sweeps.isEmpty()) {
            return new Before(List.of(), newMethodNames, List.of());
        }
        // The sweep deletes these edges: settled again, they are new edges (no current target).
        List<Call> orphaned = tx.run(READ_CALLS_INTO_REMOVED, Map.of("files", sweeps)).list(r -> new Call(call(r)));
        List<Placeholder> targets = tx.run(READ_EXTERNAL_TARGETS, Map.of("files", sweeps))
            .list(r -> new Placeholder(r.get("id").asString(), r.get("name").asString(), r.get("method").asBoolean()));
        return new Before(orphaned, newMethodNames, targets);
    }

    /** The simple names of the types the batch's calls may be made on, for the name locks. */
    static Set<String> ownerNames(List<GraphFragment> fragments) {
        Set<String> names = new TreeSet<>();
        for (GraphFragment fragment : fragments) {
            for (MethodReference call : fragment.calls()) {
                call.owners().forEach(option -> names.add(option.getFirst().name()));
            }
        }
        return names;
    }

    /** What linking calls did. */
    record Linked(long calls, long resettled, long unresolved) {}

    /**
     * Settles the batch's calls and the calls its changes affect; call after the batch's type references are linked.
     *
     * @param before    what {@link #beforeSweep} read
     * @param newFqns   the fully qualified names of the types the batch declares for the first time
     * @param movedAway the placeholder types the type references moved away from (their names were settled anew)
     * @param movedHierarchy the types whose EXTENDS or IMPLEMENTS edges the type references moved: the calls made on
     *                  them and their subtypes are settled again
     */
    static Linked link(SimpleQueryRunner tx, List<GraphFragment> written, Before before, Set<String> newFqns,
                       Set<String> movedAway, Set<String> movedHierarchy) {
        List<Call> orphaned = before.orphaned();
        Set<String> writtenIds = new HashSet<>();
        written.forEach(fragment -> fragment.nodes().forEach(node -> writtenIds.add(node.id())));
        List<Call> calls = new ArrayList<>();
        // A call from a node the batch writes is written again from its fragment.
        orphaned.stream().filter(call -> !writtenIds.contains(call.reference().fromId())).forEach(calls::add);
        Map<String, Call> affected = new TreeMap<>();
        java.util.function.Consumer<org.neo4j.driver.Record> resettle = r -> {
            Call call = new Call(call(r), r.get("target").asString(), r.get("resolution").asString(null),
                r.get("ownerType").asString(null));
            if (!writtenIds.contains(call.reference().fromId())) {
                // Several reads may find one edge; its key is MERGE_CALLS's.
                affected.putIfAbsent(edgeKey(call.reference(), call.currentTarget()), call);
            }
        };
        Set<String> placeholderTypes = new TreeSet<>(movedAway);
        newFqns.forEach(fqn -> placeholderTypes.add(NodeIds.externalType(fqn)));
        if (!placeholderTypes.isEmpty()) {
            tx.run(READ_CALLS_INTO_PLACEHOLDERS, Map.of("ids", List.copyOf(placeholderTypes)))
                .forEachRemaining(resettle);
        }
        if (!newFqns.isEmpty()) {
            Map<String, List<String>> fqnsByName = new TreeMap<>();
            newFqns.forEach(fqn -> fqnsByName.computeIfAbsent(simpleName(fqn), n -> new ArrayList<>()).add(fqn));
            List<Map<String, Object>> rows = new ArrayList<>();
            fqnsByName.forEach((name, fqns) -> rows.add(Map.of("name", name, "fqns", fqns)));
            tx.run(READ_CALLS_ON_TYPES_NAMED, Map.of("rows", rows)).forEachRemaining(resettle);
            // The static importers of the new types: their IMPORTS edges were moved to the declarations by the type
            // references' link step, which ran before this one.
            List<Map<String, Object>> newTypes = new ArrayList<>();
            for (GraphFragment fragment : written) {
                for (var node : fragment.nodes()) {
                    if (node.label().equals("Type") && !node.shared()
                        && node.properties().get("fqn") instanceof String fqn && newFqns.contains(fqn)) {
                        Map<String, Object> row = new HashMap<>();
                        row.put("id", node.id());
                        row.put("names", null);
                        newTypes.add(row);
                    }
                }
            }
            if (!newTypes.isEmpty()) {
                tx.run(READ_CALLS_OF_STATIC_IMPORTERS, Map.of("types", newTypes)).forEachRemaining(resettle);
            }
        }
        // Calls made on a type or below it: every name for the types whose supertype edges moved, the new methods'
        // names for the types that declare new methods (a null set: every name).
        Map<String, Set<String>> namesByType = new TreeMap<>();
        movedHierarchy.forEach(id -> namesByType.put(id, null));
        if (!before.newMethodNames().isEmpty()) {
            Map<String, Set<String>> namesByPlaceholder = new TreeMap<>();
            for (String key : before.newMethodNames()) {
                String[] parts = key.split("\u0000", 3); // declaring type id, its placeholder's id, method name
                namesByPlaceholder.computeIfAbsent(parts[1], t -> new TreeSet<>()).add(parts[2]);
                if (!movedHierarchy.contains(parts[0])) {
                    namesByType.computeIfAbsent(parts[0], t -> new TreeSet<>()).add(parts[2]);
                }
            }
            List<Map<String, Object>> owners = new ArrayList<>();
            namesByPlaceholder.forEach((owner, names) -> owners.add(Map.of("owner", owner, "names", List.copyOf(names))));
            tx.run(READ_PARKED_CALLS, Map.of("owners", owners)).forEachRemaining(resettle);
        }
        if (!namesByType.isEmpty()) {
            readCallsMadeOnOrBelow(tx, namesByType, resettle);
        }
        calls.addAll(affected.values());
        long resettled = calls.size();
        written.forEach(fragment -> fragment.calls().forEach(reference -> calls.add(new Call(reference))));
        if (calls.isEmpty()) {
            deleteAbandoned(tx, before.sweptTargets());
            return new Linked(0, 0, 0);
        }

        Reads reads = reads(tx);
        Map<Call, Settled> settled = settle(reads, calls);
        // Lock the names of the types that declare the chosen methods too (a supertype's file may be rewritten
        // concurrently), then make sure the chosen methods still exist; settle again the few that went meanwhile.
        Set<String> ownerNames = new TreeSet<>();
        settled.values().forEach(s -> ownerNames.add(s.ownerName()));
        ReferenceLinker.lock(tx, ownerNames, Set.of());
        Set<String> declaredTargets = new TreeSet<>();
        settled.values().stream().filter(s -> s.placeholder() == null).forEach(s -> declaredTargets.add(s.id()));
        Set<String> existing = new HashSet<>();
        if (!declaredTargets.isEmpty()) {
            tx.run(READ_EXISTING_METHODS, Map.of("ids", List.copyOf(declaredTargets)))
                .forEachRemaining(r -> existing.add(r.get("id").asString()));
        }
        List<Call> again = settled.entrySet().stream()
            .filter(e -> e.getValue().placeholder() == null && !existing.contains(e.getValue().id()))
            .map(Map.Entry::getKey).toList();
        if (!again.isEmpty()) {
            settled.keySet().removeAll(again);
            settled.putAll(settle(reads, again));
        }
        long unresolved = calls.size() - settled.size();
        List<Call> gone = calls.stream().filter(call -> call.currentTarget() != null && !settled.containsKey(call))
            .toList();
        write(tx, settled, gone);
        deleteAbandoned(tx, before.sweptTargets());
        return new Linked(calls.size() - resettled, resettled, unresolved);
    }

    /**
     * Where a call goes.
     *
     * @param id          the Method's id
     * @param ownerName   the simple name of the type that declares it
     * @param placeholder for an external placeholder: the owner type's id and the method's properties; else null
     * @param ownerType   the id of the type the call is made on: its winning owner option's type, declared or
     *                    external, or the first option's for a parked call; kept on the edge ({@code ownerType}) so
     *                    that a change to that type's name or hierarchy finds the call again
     */
    record Settled(String id, Resolution resolution, String ownerName, NewPlaceholder placeholder, String ownerType) {}

    record NewPlaceholder(String ownerId, Map<String, Object> ownerProps, Map<String, Object> props) {}

    /**
     * Reads the calls made on the given types or below them, of the given method names (null: any). The names of
     * those types are locked first: a writer settling a call made on one of them holds that name (its owner's) while
     * it reads the hierarchy, so either it sees what this batch changed above, or this batch sees its committed call.
     */
    private static void readCallsMadeOnOrBelow(SimpleQueryRunner tx, Map<String, Set<String>> namesByType,
                                               java.util.function.Consumer<org.neo4j.driver.Record> resettle) {
        Map<String, Set<String>> byType = new TreeMap<>(namesByType);
        Set<String> belowNames = new TreeSet<>();
        tx.run(READ_TYPES_BELOW, Map.of("ids", List.copyOf(namesByType.keySet()))).forEachRemaining(r -> {
            String id = r.get("id").asString();
            belowNames.add(r.get("name").asString());
            Set<String> above = namesByType.get(r.get("above").asString());
            if (above == null) {
                byType.put(id, null);
            } else if (!byType.containsKey(id) || byType.get(id) != null) {
                byType.computeIfAbsent(id, t -> new TreeSet<>()).addAll(above);
            }
        });
        ReferenceLinker.lock(tx, Set.of(), belowNames);
        List<Map<String, Object>> rows = new ArrayList<>();
        byType.forEach((id, names) -> {
            Map<String, Object> row = new java.util.HashMap<>();
            row.put("id", id);
            row.put("names", names == null ? null : List.copyOf(names));
            rows.add(row);
        });
        tx.run(READ_CALLS_MADE_ON, Map.of("types", rows)).forEachRemaining(resettle);
        tx.run(READ_CALLS_MADE_INSIDE, Map.of("types", rows)).forEachRemaining(resettle);
        tx.run(READ_CALLS_OF_STATIC_IMPORTERS, Map.of("types", rows)).forEachRemaining(resettle);
    }

    /** A method of a type's hierarchy, as {@link #searchHierarchies} finds it. */
    record Declared(String id, int arity, String signature, String ownerName, int depth, boolean chain) {}

    /** An external supertype of a declared type. */
    record ExternalSupertype(String id, String fqn, String binaryName, String name, int depth, boolean chain) {}

    /**
     * What settling calls reads: the graph's declarations in the batch's transaction ({@link #reads}), or those of a
     * closed set of fragments in memory ({@link ImportedLinks}).
     */
    interface Reads {
        /** Fully qualified name → ids of the types declared with it, for the names given. */
        Map<String, List<String>> declared(Set<String> fqns);

        /** The given types and everything above them. */
        Hierarchy hierarchy(Set<String> ids);

        /** The methods of the given names that the given types declare (type id → names). */
        List<DeclaredMethod> declaredMethods(Map<String, Set<String>> namesByType);
    }

    /** A method a type declares, as {@link Reads#declaredMethods} gives it. */
    record DeclaredMethod(String type, String id, String name, int arity, String signature, String visibility) {}

    /** The graph's declarations, read in the transaction. */
    static Reads reads(SimpleQueryRunner tx) {
        return new Reads() {
            @Override
            public Map<String, List<String>> declared(Set<String> fqns) {
                return ReferenceLinker.declared(tx, fqns);
            }

            @Override
            public Hierarchy hierarchy(Set<String> ids) {
                return Hierarchy.read(tx, ids);
            }

            @Override
            public List<DeclaredMethod> declaredMethods(Map<String, Set<String>> namesByType) {
                List<Map<String, Object>> rows = new ArrayList<>();
                namesByType.forEach((type, names) -> rows.add(Map.of("type", type, "names", List.copyOf(names))));
                return tx.run(READ_DECLARED_METHODS, Map.of("rows", rows)).list(r -> new DeclaredMethod(
                    r.get("type").asString(), r.get("id").asString(), r.get("name").asString(), r.get("arity").asInt(),
                    r.get("signature").asString(), r.get("visibility").asString(null)));
            }
        };
    }

    static Map<Call, Settled> settle(Reads reads, List<Call> calls) {
        Set<String> fqns = new TreeSet<>();
        calls.forEach(call -> call.reference().owners().forEach(option -> option.forEach(c -> fqns.add(c.fqn()))));
        if (calls.stream().anyMatch(call -> isObjectMethod(call.reference()))) {
            fqns.add(OBJECT.fqn());
        }
        Map<String, List<String>> declared = reads.declared(fqns);

        // Each option's type, settled as a type reference.
        Map<Call, List<OwnerType>> ownerTypes = new LinkedHashMap<>();
        Map<Call, OwnerType> objects = new HashMap<>();
        Map<String, Map<String, Object>> lookups = new TreeMap<>();
        Set<String> declaredOwners = new TreeSet<>();
        for (Call call : calls) {
            MethodReference reference = call.reference();
            if (isObjectMethod(reference)) {
                ReferenceLinker.Target object = ReferenceLinker.settle(new TypeReference(INVOKES, "Method",
                    reference.fromId(), reference.origin(), List.of(OBJECT)), declared);
                objects.put(call, new OwnerType(object, OBJECT.fqn(), OBJECT.binaryName()));
                if (object.external() == null) {
                    declaredOwners.add(object.id());
                    lookups.putIfAbsent(object.id() + "#" + reference.name(),
                        Map.of("type", object.id(), "name", reference.name()));
                }
            }
            List<OwnerType> types = new ArrayList<>();
            for (List<Candidate> option : reference.owners()) {
                ReferenceLinker.Target type = ReferenceLinker.settle(
                    new TypeReference(INVOKES, "Method", reference.fromId(), reference.origin(), option), declared);
                Candidate named = option.stream().filter(c -> declared.containsKey(c.fqn())).findFirst()
                    .orElse(option.getFirst());
                types.add(type.external() != null
                    ? new OwnerType(type, String.valueOf(type.external().get("fqn")),
                        String.valueOf(type.external().get("binaryName")))
                    : new OwnerType(type, named.fqn(), named.binaryName()));
                if (type.external() == null) {
                    declaredOwners.add(type.id());
                    lookups.putIfAbsent(type.id() + "#" + reference.name(),
                        Map.of("type", type.id(), "name", reference.name()));
                }
            }
            ownerTypes.put(call, types);
        }
        Map<String, List<Declared>> hierarchy = new HashMap<>();
        Map<String, List<ExternalSupertype>> externalSupertypes = new HashMap<>();
        if (!declaredOwners.isEmpty()) {
            searchHierarchies(reads, declaredOwners, lookups.values(), hierarchy, externalSupertypes);
        }

        Map<Call, Settled> settled = new LinkedHashMap<>();
        for (var entry : ownerTypes.entrySet()) {
            Settled target = choose(entry.getKey().reference(), entry.getValue(), objects.get(entry.getKey()),
                hierarchy, externalSupertypes);
            if (target != null) {
                settled.put(entry.getKey(), target);
            }
        }
        return settled;
    }

    /**
     * Searches the hierarchies of the calls' declared owner types: for each lookup (a type and a method name), the
     * methods of that name the type or its supertypes declare (private ones only the type itself), each with its
     * distance (1 for the type's own, as the path to the method counts the {@code DECLARES} edge) and whether the
     * superclass chain reaches it; for each type, its external supertypes with their distance and the same flag.
     */
    private static void searchHierarchies(Reads reads, Set<String> owners,
                                          java.util.Collection<Map<String, Object>> lookups,
                                          Map<String, List<Declared>> hierarchy,
                                          Map<String, List<ExternalSupertype>> externalSupertypes) {
        Hierarchy types = reads.hierarchy(owners);
        Map<String, Map<String, Integer>> distances = new HashMap<>();
        Map<String, Map<String, Integer>> chains = new HashMap<>();
        for (String owner : owners) {
            distances.put(owner, types.distances(owner));
            chains.put(owner, types.chain(owner));
        }
        // Every declared type of the looked-up types' hierarchies, with the names looked up through it.
        Map<String, Set<String>> namesByType = new TreeMap<>();
        for (Map<String, Object> lookup : lookups) {
            String owner = (String) lookup.get("type");
            for (String id : distances.get(owner).keySet()) {
                if (!types.type(id).external()) {
                    namesByType.computeIfAbsent(id, k -> new TreeSet<>()).add((String) lookup.get("name"));
                }
            }
        }
        Map<String, List<DeclaredMethod>> declared = new HashMap<>();
        if (!namesByType.isEmpty()) {
            for (DeclaredMethod method : reads.declaredMethods(namesByType)) {
                declared.computeIfAbsent(method.type() + "#" + method.name(), k -> new ArrayList<>()).add(method);
            }
        }
        for (Map<String, Object> lookup : lookups) {
            String owner = (String) lookup.get("type");
            String name = (String) lookup.get("name");
            List<Declared> found = new ArrayList<>();
            Map<String, Integer> chain = chains.get(owner);
            distances.get(owner).forEach((id, depth) -> {
                Hierarchy.Type type = types.type(id);
                for (DeclaredMethod method : declared.getOrDefault(id + "#" + name, List.of())) {
                    if (depth == 0 || !"private".equals(method.visibility())) {
                        found.add(new Declared(method.id(), method.arity(), method.signature(), type.name(), depth + 1,
                            chain.containsKey(id)));
                    }
                }
            });
            if (!found.isEmpty()) {
                hierarchy.put(owner + "#" + name, found);
            }
        }
        for (String owner : owners) {
            Map<String, Integer> chain = chains.get(owner);
            distances.get(owner).forEach((id, depth) -> {
                Hierarchy.Type type = types.type(id);
                if (depth > 0 && type.external()) {
                    externalSupertypes.computeIfAbsent(owner, k -> new ArrayList<>()).add(new ExternalSupertype(id,
                        type.fqn(), type.binaryName() != null ? type.binaryName() : type.fqn(), type.name(), depth,
                        chain.containsKey(id)));
                }
            });
        }
    }

    /** An owner option's type, settled, with the names of the candidate it settled to. */
    record OwnerType(ReferenceLinker.Target target, String fqn, String binaryName) {
        boolean declared() {
            return target.external() == null;
        }
    }

    /**
     * The method a call invokes. Options in order: a declared type whose hierarchy in the graph declares the method
     * wins; so does one whose hierarchy reaches a JDK type that has it (by reflection on the running JDK), whose
     * placeholder then takes the call; an external option type wins if the JDK has the method or the type is not the
     * JDK's (a library's: the call is made on it). When no option wins, the call is parked, {@code inferred}, on a
     * placeholder of the first option's nearest supertype outside the JDK; else a public method of
     * {@code java.lang.Object} is Object's (an interface has them as members, JLS §9.2, while its hierarchy does not
     * reach Object: {@code runnable.toString()}); else the call is parked on a placeholder of the first option's own
     * name, so that a later declaration (of the type, of a supertype, or of a method of that name) settles it again.
     *
     * @param object {@code java.lang.Object} as the call's origin settles it, for a call of one of Object's public
     *               methods; else null
     */
    static Settled choose(MethodReference call, List<OwnerType> types, OwnerType object,
                          Map<String, List<Declared>> hierarchy,
                          Map<String, List<ExternalSupertype>> externalSupertypes) {
        for (OwnerType type : types) {
            ReferenceLinker.Target target = type.target();
            if (!type.declared()) {
                if (!JdkMethods.isJdkType(type.binaryName())
                    || JdkMethods.has(type.binaryName(), call.name(), call.arity())) {
                    return placeholder(call, target.id(), target.external(), target.resolution(), target.id());
                }
                continue;
            }
            // Constructors are not inherited: new T() names T's own.
            boolean constructor = call.name().equals("<init>");
            List<Declared> methods = hierarchy.getOrDefault(target.id() + "#" + call.name(), List.of()).stream()
                .filter(m -> accepts(m, call.arity()) && (!constructor || m.depth() == 1)).toList();
            ExternalSupertype jdk = constructor ? null
                : jdkSupertypeWith(call, externalSupertypes.getOrDefault(target.id(), List.of()));
            // As the JVM resolves: the superclass chain before the interfaces, the nearest first; a declaration in
            // the graph before a JDK type at the same distance.
            Comparator<Rank> order = Comparator.comparing((Rank r) -> !r.chain()).thenComparingInt(Rank::depth)
                .thenComparing(Rank::jdk);
            Rank best = methods.stream().map(m -> new Rank(m.chain(), m.depth(), false)).min(order).orElse(null);
            if (jdk != null) {
                Rank external = new Rank(jdk.chain(), jdk.depth(), true);
                if (best == null || order.compare(external, best) < 0) {
                    return placeholder(call, jdk.id(), props(jdk), target.resolution(), target.id());
                }
            }
            if (best != null) {
                Rank nearest = best;
                List<Declared> closest = methods.stream()
                    .filter(m -> m.chain() == nearest.chain() && m.depth() == nearest.depth())
                    // exact arity before varargs, then the signature and the id for a choice that does not depend on
                    // the order the hierarchy query meets them in (two interfaces at one distance may declare one
                    // signature: java.base's AsynchronousChannel.close() and Channel.close())
                    .sorted(Comparator.comparing((Declared m) -> m.arity() != call.arity())
                        .thenComparing(Declared::signature).thenComparing(Declared::id))
                    .toList();
                Declared chosen = byArgumentTypes(closest, call);
                Resolution resolution = chosen != null ? target.resolution() : Resolution.INFERRED;
                Declared method = chosen != null ? chosen : closest.getFirst();
                return new Settled(method.id(), resolution, method.ownerName(), null, target.id());
            }
        }
        OwnerType first = types.getFirst();
        if (!first.declared()) {
            return placeholder(call, first.target().id(), first.target().external(), Resolution.INFERRED,
                first.target().id());
        }
        ExternalSupertype library = call.name().equals("<init>") ? null
            : externalSupertypes.getOrDefault(first.target().id(), List.of()).stream()
            .filter(s -> !JdkMethods.isJdkType(s.binaryName()))
            .min(Comparator.comparingInt(ExternalSupertype::depth).thenComparing(ExternalSupertype::fqn))
            .orElse(null);
        if (library != null) {
            return placeholder(call, library.id(), props(library), Resolution.INFERRED, first.target().id());
        }
        if (object != null) {
            Resolution resolution = first.target().resolution();
            if (!object.declared()) {
                return placeholder(call, object.target().id(), object.target().external(), resolution,
                    first.target().id());
            }
            Declared method = hierarchy.getOrDefault(object.target().id() + "#" + call.name(), List.of()).stream()
                .filter(m -> m.depth() == 1 && m.arity() == call.arity()).findFirst().orElse(null);
            if (method != null) {
                return new Settled(method.id(), resolution, method.ownerName(), null, first.target().id());
            }
        }
        // Nothing known declares it (a supertype not in the graph yet, or code that does not compile): parked on a
        // placeholder of the type's own name.
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("id", NodeIds.externalType(first.fqn()));
        own.put("fqn", first.fqn());
        own.put("binaryName", first.binaryName());
        own.put("name", first.fqn().substring(first.fqn().lastIndexOf('.') + 1));
        own.put("external", true);
        return placeholder(call, NodeIds.externalType(first.fqn()), own, Resolution.INFERRED, first.target().id());
    }

    private static boolean isObjectMethod(MethodReference call) {
        return OBJECT_METHODS.contains(call.name() + "/" + call.arity());
    }

    /** Where a method was found: over the superclass chain or not, how far, in the graph or in a JDK type. */
    private record Rank(boolean chain, int depth, boolean jdk) {}

    /**
     * The JDK supertype the JVM would find the method in: over the superclass chain before the interfaces, then the
     * nearest; null when no JDK supertype has it.
     */
    private static ExternalSupertype jdkSupertypeWith(MethodReference call, List<ExternalSupertype> supertypes) {
        return supertypes.stream()
            .filter(s -> JdkMethods.has(s.binaryName(), call.name(), call.arity()))
            .min(Comparator.comparing((ExternalSupertype s) -> !s.chain())
                .thenComparingInt(ExternalSupertype::depth).thenComparing(ExternalSupertype::fqn))
            .orElse(null);
    }

    private static Map<String, Object> props(ExternalSupertype supertype) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("id", supertype.id());
        props.put("fqn", supertype.fqn());
        props.put("binaryName", supertype.binaryName());
        props.put("name", supertype.name());
        props.put("external", true);
        return props;
    }

    /** Exactly the call's arity, or a varargs method (its last parameter an array) taking the rest. */
    private static boolean accepts(Declared method, int arity) {
        if (method.arity() == arity) {
            return true;
        }
        return method.arity() >= 1 && arity >= method.arity() - 1
            && method.signature().endsWith("[])");
    }

    /**
     * The one method whose parameter types agree with every argument type the parser knew, or the only candidate;
     * null when that does not single one out.
     */
    private static Declared byArgumentTypes(List<Declared> methods, MethodReference call) {
        if (methods.size() == 1) {
            return methods.getFirst();
        }
        List<Declared> matching = methods.stream().filter(m -> m.arity() == call.arity()
            && parametersAgree(parameterTypes(m.signature()), call.argumentTypes())).toList();
        return matching.size() == 1 ? matching.getFirst() : null;
    }

    private static boolean parametersAgree(List<String> parameters, List<String> arguments) {
        for (int i = 0; i < parameters.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.isEmpty() && !simpleName(parameters.get(i)).equals(argument)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> parameterTypes(String signature) {
        String inside = signature.substring(signature.indexOf('(') + 1, signature.length() - 1);
        return inside.isEmpty() ? List.of() : List.of(inside.split(","));
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    private static Settled placeholder(MethodReference call, String ownerId, Map<String, Object> ownerProps,
                                       Resolution resolution, String ownerType) {
        String id = ownerId + "#" + call.name() + "/" + call.arity();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("id", id);
        props.put("name", call.name());
        props.put("arity", (long) call.arity());
        props.put("external", true);
        String ownerName = String.valueOf(ownerProps.get("name"));
        return new Settled(id, resolution, ownerName, new NewPlaceholder(ownerId, ownerProps, Map.copyOf(props)),
            ownerType);
    }

    /**
     * Deletes the placeholders that edges of the swept files pointed at and nothing points at any more, so that a
     * rescan leaves the graph a full scan of the same files would. Their names are locked first: a writer linking to
     * one of them at the same moment holds its name's lock.
     */
    private static void deleteAbandoned(SimpleQueryRunner tx, List<Placeholder> targets) {
        if (targets.isEmpty()) {
            return;
        }
        Set<String> names = new TreeSet<>();
        Set<String> methods = new TreeSet<>();
        Set<String> types = new TreeSet<>();
        for (Placeholder target : targets) {
            names.add(target.method() ? target.id().substring(0, target.id().lastIndexOf('#')) : target.name());
            (target.method() ? methods : types).add(target.id());
        }
        // A method placeholder's lock is its owner type's simple name, as the calls into it take.
        Set<String> simpleNames = new TreeSet<>();
        for (String name : names) {
            simpleNames.add(name.startsWith(NodeIds.externalType("")) ? simpleName(name) : name);
        }
        ReferenceLinker.lock(tx, Set.of(), simpleNames);
        if (!methods.isEmpty()) {
            tx.run(DELETE_ABANDONED_PLACEHOLDERS, Map.of("ids", List.copyOf(methods))).consume();
        }
        if (!types.isEmpty()) {
            tx.run(DELETE_ABANDONED_PLACEHOLDER_TYPES, Map.of("ids", List.copyOf(types))).consume();
        }
    }

    /**
     * What settled calls write: the edges that go ({@code from}, {@code to}, {@code owners}, {@code arity},
     * {@code args}), the external types and placeholder methods to create ({@code id}, {@code props}, for a method
     * its {@code owner}), the edges to merge ({@code from}, {@code to}, {@code props}, one per {@link #edgeKey}: the
     * first call, by line, speaks for the others), and the placeholders edges moved away from.
     */
    record Rows(List<Map<String, Object>> stale, List<Map<String, Object>> externalTypes,
                List<Map<String, Object>> placeholders, List<Map<String, Object>> edges, Set<String> abandoned) {}

    static Rows rows(Map<Call, Settled> settled, List<Call> gone) {
        Map<String, Map<String, Object>> externalTypes = new TreeMap<>();
        Map<String, Map<String, Object>> placeholders = new TreeMap<>();
        Map<String, Map<String, Object>> edges = new TreeMap<>();
        Map<String, Map<String, Object>> stale = new TreeMap<>();
        Set<String> abandoned = new TreeSet<>();
        for (Call call : gone) {
            // Settled again to nothing (its method went, and no type of the hierarchy can declare it).
            stale.put(edgeKey(call.reference(), call.currentTarget()), staleRow(call.reference(), call.currentTarget()));
            abandoned.add(call.currentTarget());
        }
        for (var entry : settled.entrySet()) {
            Call call = entry.getKey();
            Settled target = entry.getValue();
            MethodReference reference = call.reference();
            boolean sameTarget = target.id().equals(call.currentTarget());
            if (sameTarget && target.resolution().value().equals(call.currentResolution())
                && target.ownerType().equals(call.currentOwnerType())) {
                continue; // settled as before
            }
            // The same target, resolved otherwise (a call parked on an external type that the scan now declares
            // lands on the declared type's placeholder of the same id): only the edge's properties change.
            if (call.currentTarget() != null && !sameTarget) {
                stale.put(edgeKey(reference, call.currentTarget()), staleRow(reference, call.currentTarget()));
                abandoned.add(call.currentTarget());
            }
            if (target.placeholder() != null) {
                NewPlaceholder placeholder = target.placeholder();
                externalTypes.putIfAbsent(placeholder.ownerId(),
                    Map.of("id", placeholder.ownerId(), "props", placeholder.ownerProps()));
                placeholders.putIfAbsent(target.id(),
                    Map.of("id", target.id(), "owner", placeholder.ownerId(), "props", placeholder.props()));
            }
            String key = edgeKey(reference, target.id());
            Map<String, Object> row = Map.of("from", reference.fromId(), "to", target.id(), "props", Map.of(
                "line", reference.line(),
                "resolution", target.resolution().value(),
                "owners", reference.encodedOwners(),
                "arity", (long) reference.arity(),
                "args", reference.argumentTypes(),
                "origin", reference.origin(),
                "ownerType", target.ownerType()));
            edges.merge(key, row, (a, b) -> line(a) <= line(b) ? a : b);
        }
        return new Rows(List.copyOf(stale.values()), List.copyOf(externalTypes.values()),
            List.copyOf(placeholders.values()), List.copyOf(edges.values()), abandoned);
    }

    private static void write(SimpleQueryRunner tx, Map<Call, Settled> settled, List<Call> gone) {
        Rows rows = rows(settled, gone);
        if (!rows.stale().isEmpty()) {
            tx.run(DELETE_STALE_CALLS, Map.of("rows", rows.stale())).consume();
        }
        ReferenceLinker.mergeExternals(tx, rows.externalTypes());
        if (!rows.placeholders().isEmpty()) {
            tx.run(MERGE_PLACEHOLDER_METHODS, Map.of("rows", rows.placeholders())).consume();
        }
        if (!rows.edges().isEmpty()) {
            tx.run(MERGE_CALLS, Map.of("rows", rows.edges())).consume();
        }
        if (!rows.abandoned().isEmpty()) {
            tx.run(DELETE_ABANDONED_PLACEHOLDERS, Map.of("ids", List.copyOf(rows.abandoned()))).consume();
        }
    }

    /** What identifies a call edge: as {@link #MERGE_CALLS} keys it. */
    private static String edgeKey(MethodReference reference, String target) {
        return reference.fromId() + "\u0000" + target + "\u0000" + reference.encodedOwners() + "\u0000"
            + reference.arity() + "\u0000" + reference.argumentTypes();
    }

    private static Map<String, Object> staleRow(MethodReference reference, String target) {
        return Map.of("from", reference.fromId(), "to", target, "owners", reference.encodedOwners(),
            "arity", (long) reference.arity(), "args", reference.argumentTypes());
    }

    @SuppressWarnings("unchecked")
    private static long line(Map<String, Object> row) {
        return (Long) ((Map<String, Object>) row.get("props")).get("line");
    }

    private static MethodReference call(org.neo4j.driver.Record r) {
        List<String> args = r.get("args").asList(Value::asString);
        return new MethodReference(r.get("from").asString(), r.get("origin").asString(),
            MethodReference.decodeOwners(r.get("owners").asList(Value::asString)), r.get("name").asString(),
            r.get("arity").asInt(), args, r.get("line").asLong());
    }
}
