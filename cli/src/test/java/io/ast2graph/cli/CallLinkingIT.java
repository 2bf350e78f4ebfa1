package io.ast2graph.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;
import io.ast2graph.parser.FragmentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The link step of method calls against a real Neo4j, without Kafka: declarations come from the real builder, the
 * calls are given as the parser would emit them, so that the writer's side is pinned on its own. Calls settle to the
 * same graph whatever order the files arrive in, find methods in supertypes, fall back to placeholders (never lost)
 * when a declaration goes, and choose among overloads by argument types.
 */
class CallLinkingIT extends EmptyGraphTest {
    private static final FragmentBuilder BUILDER = new FragmentBuilder();
    private static final String CALLER = "r:src/main/java:p.A#run()";
    private long version;

    private static final String A = "package p;\npublic class A { public void run() {} }\n";
    private static final String B = """
        package p;
        public class B {
            public void greet() {}
            public void say(String text) {}
            public void say(int times) {}
        }
        """;
    private static final String C = "package p;\npublic class C extends B {}\n";
    private static final String B_WITHOUT_GREET = "package p;\npublic class B { public void wave() {} }\n";

    private GraphFragment file(String name, String source, MethodReference... calls) {
        version++;
        // The calls are part of the content: the same bytes always give the same calls, and the writer skips the
        // sweep of a file whose content did not change.
        String sha = Integer.toHexString((source + List.of(calls)).hashCode());
        GraphFragment built = BUILDER.build("scan", "r", "src/main/java/p/" + name + ".java", sha, version,
            source.getBytes(UTF_8));
        return new GraphFragment(built.scanId(), built.repo(), built.path(), built.sha256(), built.version(),
            built.fileId(), built.builderVersion(), built.nodes(), built.relationships(), built.problems(),
            built.references(), List.of(calls));
    }

    /** A file as the parser sees it, its calls included. */
    private GraphFragment parsed(String path, String source) {
        version++;
        return BUILDER.build("scan", "r", "src/main/java/" + path, Integer.toHexString(source.hashCode()), version,
            source.getBytes(UTF_8));
    }

    /** Writes the files one batch each, in this order, into an empty graph; returns the graph. */
    private List<String> writtenOneByOne(List<GraphFragment> files) throws Exception {
        emptyGraph();
        for (GraphFragment file : files) {
            write(file);
        }
        return fingerprint();
    }

    /**
     * Writes the files one batch each in every order they can arrive in, and asserts that each order leaves the graph
     * that writing them all in one batch leaves; the graph is left as that one batch wrote it.
     */
    private void assertSameGraphInEveryOrder(GraphFragment... files) throws Exception {
        emptyGraph();
        write(files);
        List<String> oneBatch = fingerprint();
        for (List<GraphFragment> order : permutations(List.of(files))) {
            GraphDiff.assertSameGraph("one batch, then one file a batch: "
                + order.stream().map(GraphFragment::path).toList(), oneBatch, writtenOneByOne(order));
        }
        emptyGraph();
        write(files);
    }

    private static List<List<GraphFragment>> permutations(List<GraphFragment> files) {
        if (files.size() <= 1) {
            return List.of(files);
        }
        List<List<GraphFragment>> orders = new java.util.ArrayList<>();
        for (GraphFragment first : files) {
            List<GraphFragment> rest = new java.util.ArrayList<>(files);
            rest.remove(first);
            for (List<GraphFragment> tail : permutations(rest)) {
                List<GraphFragment> order = new java.util.ArrayList<>(List.of(first));
                order.addAll(tail);
                orders.add(order);
            }
        }
        return orders;
    }

    private List<String> calls(String fromMethodId) {
        return writer.read("MATCH (:Method {id: $id})-[r:INVOKES]->(m:Method) RETURN m.id AS id, r.resolution AS resolution "
                + "ORDER BY id", Map.of("id", fromMethodId)).stream()
            .map(r -> r.get("id") + " " + r.get("resolution")).toList();
    }

    private static MethodReference call(String ownerFqn, String name, String... argumentTypes) {
        // A same-package name written in A: the type may be declared in another file, so it is not certain.
        Candidate owner = new Candidate(ownerFqn, ownerFqn, Resolution.PACKAGE, false, true);
        return new MethodReference(CALLER, "r:src/main/java", List.of(List.of(owner)), name, argumentTypes.length,
            List.of(argumentTypes), 1);
    }

    private static MethodReference onString(String name) {
        Candidate string = new Candidate("java.lang.String", "java.lang.String", Resolution.IMPORT, true, true);
        return new MethodReference(CALLER, "r:src/main/java", List.of(List.of(string)), name, 0, List.of(), 1);
    }

    private void write(GraphFragment... fragments) throws Exception {
        writer.write(List.of(fragments));
    }

    private List<String> callees() {
        return writer.read("MATCH (:Method {id: $id})-[r:INVOKES]->(m:Method) RETURN m.id AS id, r.resolution AS resolution "
                + "ORDER BY id", Map.of("id", CALLER)).stream()
            .map(r -> r.get("id") + " " + r.get("resolution")).toList();
    }

    private List<String> fingerprint() {
        return DirectWriter.lines(writer);
    }

    @Test
    void aCallSettlesToTheDeclarationWhicheverFileArrivesFirst() throws Exception {
        write(file("A", A, call("p.B", "greet")), file("B", B));
        List<String> together = fingerprint();
        assertThat(callees()).containsExactly("r:src/main/java:p.B#greet() package");

        emptyGraph();
        write(file("A", A, call("p.B", "greet")));
        assertThat(callees()).containsExactly("external:p.B#greet/0 inferred");
        write(file("B", B));
        assertThat(callees()).containsExactly("r:src/main/java:p.B#greet() package");
        GraphDiff.assertSameGraph("the placeholder is gone once the call moved", together, fingerprint());

        emptyGraph();
        write(file("B", B));
        write(file("A", A, call("p.B", "greet")));
        GraphDiff.assertSameGraph("declaration first", together, fingerprint());
    }

    @Test
    void aCallParkedOnItsFallbackCandidateMovesWhenAnEarlierCandidateIsDeclared() throws Exception {
        // new B() in p with "import static q.Z.*;": p.B comes first, q.Z.B (an on-demand import) is the fallback.
        Candidate samePackage = new Candidate("p.B", "p.B", Resolution.PACKAGE, false, false);
        Candidate onDemand = new Candidate("q.Z.B", "q.Z$B", Resolution.IMPORT, false, true);
        MethodReference greet = new MethodReference(CALLER, "r:src/main/java", List.of(List.of(samePackage, onDemand)),
            "greet", 0, List.of(), 1);
        write(file("A", A, greet), file("B", B));
        List<String> together = fingerprint();
        assertThat(callees()).containsExactly("r:src/main/java:p.B#greet() package");

        emptyGraph();
        write(file("A", A, greet));
        assertThat(callees()).as("no candidate declared: parked on the fallback's placeholder")
            .containsExactly("external:q.Z.B#greet/0 inferred");
        write(file("B", B));
        GraphDiff.assertSameGraph("p.B declared later", together, fingerprint());
    }

    @Test
    void aMethodInheritedFromASupertypeIsFoundThere() throws Exception {
        write(file("B", B), file("C", C), file("A", A, call("p.C", "greet")));

        assertThat(callees()).containsExactly("r:src/main/java:p.B#greet() package");
    }

    @Test
    void aCallToAMethodNoTypeOfTheHierarchyDeclaresIsParkedOnAPlaceholderOfItsOwnersName() throws Exception {
        write(file("B", B), file("A", A, call("p.B", "greet")));
        write(file("B", B_WITHOUT_GREET));
        List<String> afterChange = fingerprint();

        assertThat(callees()).as("B and its only external supertype, Object, declare no greet(): parked, not lost")
            .containsExactly("external:p.B#greet/0 inferred");
        write(file("B", B));
        assertThat(callees()).as("settled again once B declares it").containsExactly("r:src/main/java:p.B#greet() package");
        write(file("B", B_WITHOUT_GREET));
        emptyGraph();
        write(file("B", B_WITHOUT_GREET), file("A", A, call("p.B", "greet")));
        GraphDiff.assertSameGraph("the same graph as a scan of the changed files", afterChange, fingerprint());
    }

    @Test
    void objectsPublicMethodsCalledOnAnInterfaceAreObjects() throws Exception {
        // JLS 9.2: an interface has Object's public methods as members, though its hierarchy does not reach Object.
        String task = "package p;\npublic interface Task { void run(); }\n";
        write(file("Task", task), file("A", A, call("p.Task", "toString"), call("p.Task", "equals", "Object"),
            call("p.Task", "run")));
        assertThat(callees()).containsExactly(
            "external:java.lang.Object#equals/1 package",
            "external:java.lang.Object#toString/0 package",
            "r:src/main/java:p.Task#run() package");

        // Scanning the JDK itself: Object is declared, in any order of the files; an interface that declares
        // toString() keeps its own.
        String object = "package java.lang;\npublic class Object { public String toString() { return null; } "
            + "public boolean equals(Object o) { return false; } }\n";
        String named = "package p;\npublic interface Named { String toString(); }\n";
        GraphFragment objectFile = parsed("java/lang/Object.java", object);
        assertSameGraphInEveryOrder(file("Task", task), file("Named", named), objectFile,
            file("A", A, call("p.Task", "toString"), call("p.Named", "toString"), call("p.Task", "equals", "Object")));
        assertThat(callees()).containsExactly(
            "r:src/main/java:java.lang.Object#equals(Object) package",
            "r:src/main/java:java.lang.Object#toString() package",
            "r:src/main/java:p.Named#toString() package");
    }

    @Test
    void aCallIntoADeletedFileIsKeptOnAPlaceholder() throws Exception {
        write(file("B", B), file("A", A, call("p.B", "greet")));
        version++;
        write(GraphFragment.tombstone("scan", "r", "src/main/java/p/B.java", version));

        assertThat(callees()).containsExactly("external:p.B#greet/0 inferred");
        assertThat(writer.read("MATCH (:Type {id: 'external:p.B'})-[:DECLARES]->(m:Method {external: true}) "
            + "RETURN m.name AS name, m.arity AS arity", Map.of()))
            .containsExactly(Map.of("name", "greet", "arity", 0L));
    }

    @Test
    void overloadsOfOneArityAreChosenByArgumentTypes() throws Exception {
        write(file("B", B), file("A", A, call("p.B", "say", "int")));
        assertThat(callees()).containsExactly("r:src/main/java:p.B#say(int) package");

        write(file("A", A, call("p.B", "say", "")));
        assertThat(callees()).as("an unknown argument type cannot choose: the first signature, inferred")
            .containsExactly("r:src/main/java:p.B#say(String) inferred");
    }

    @Test
    void callsOutsideTheScanGoToPlaceholdersTheirTypeDeclares() throws Exception {
        write(file("A", A, onString("length"), onString("isEmpty")));

        assertThat(callees()).containsExactly("external:java.lang.String#isEmpty/0 import",
            "external:java.lang.String#length/0 import");
        write(file("A", A, onString("length"), onString("isEmpty")));
        assertThat(callees()).as("writing it again changes nothing").hasSize(2);
    }

    @Test
    void aTieBetweenSupertypesAtOneDistanceIsBrokenTheSameWayWhicheverFileArrivesFirst() throws Exception {
        // Both interfaces of Both declare close(): neither is nearer, so the call is inferred to one of them, which
        // was the first the hierarchy query happened to return (java.base: AsynchronousSocketChannel.close() went to
        // AsynchronousChannel.close() in one scan, to Channel.close() in the other). The tie shows when the call is
        // settled again after Both's edges moved: written after Closer but before Channel, Both's hierarchy has only
        // Closer.close() at first (package), and Channel's arrival must make it a tie.
        GraphFragment closer = parsed("p/Closer.java", "package p;\npublic interface Closer { void close(); }\n");
        GraphFragment channel = parsed("p/Channel.java", "package p;\npublic interface Channel { void close(); }\n");
        GraphFragment both = parsed("p/Both.java", "package p;\npublic interface Both extends Closer, Channel {}\n");
        GraphFragment user = parsed("p/User.java", "package p;\nclass User { void run(Both both) { both.close(); } }\n");

        assertSameGraphInEveryOrder(closer, channel, both, user);
        assertThat(calls("r:src/main/java:p.User#run(Both)")).as("a tie: the smaller id, inferred")
            .containsExactly("r:src/main/java:p.Channel#close() inferred");
    }

    @Test
    void aCallInAMemberTypeFoundInTheEnclosingTypesSuperclassSettlesWhicheverFileArrivesFirst() throws Exception {
        // initialize() in Outer.Task: neither Task nor its Runnable declares it, Outer inherits it from Base, in
        // another file (commons-lang3's BackgroundInitializer.InitializationTask). Written before Base, the call is
        // parked on Task, the first owner option; once Base arrives, Outer's hierarchy changes and the call must move.
        GraphFragment base = parsed("p/Base.java",
            "package p;\npublic class Base { protected String initialize() { return \"b\"; } }\n");
        GraphFragment outer = parsed("p/Outer.java", """
            package p;
            public class Outer extends Base {
                class Task implements Runnable { public void run() { initialize(); } }
            }
            """);

        assertSameGraphInEveryOrder(base, outer);
        assertThat(writer.read("MATCH (:Method {name: 'run'})-[:INVOKES]->(m:Method) RETURN m.id AS id", Map.of()))
            .extracting(r -> r.get("id")).containsExactly("r:src/main/java:p.Base#initialize()");
    }

    @Test
    void anOverrideAddedInTheMiddleOfAHierarchyTakesTheCallsMadeBelowIt() throws Exception {
        // leaf.name() on a Leaf settles to Root.name() while Middle declares no name(); once Middle does (a new
        // file version, or Middle arriving after Leaf's caller), javac would name Middle.name(): the call moves.
        GraphFragment root = parsed("p/Root.java", "package p;\npublic class Root { public String name() { return \"r\"; } }\n");
        GraphFragment middle = parsed("p/Middle.java",
            "package p;\npublic class Middle extends Root { @Override public String name() { return \"m\"; } }\n");
        GraphFragment leaf = parsed("p/Leaf.java", "package p;\npublic class Leaf extends Middle {}\n");
        GraphFragment user = parsed("p/User.java", "package p;\nclass User { String run(Leaf leaf) { return leaf.name(); } }\n");

        assertSameGraphInEveryOrder(root, middle, leaf, user);
        assertThat(calls("r:src/main/java:p.User#run(Leaf)")).containsExactly("r:src/main/java:p.Middle#name() package");

        emptyGraph();
        GraphFragment plainMiddle = parsed("p/Middle.java", "package p;\npublic class Middle extends Root {}\n");
        writer.write(List.of(root, plainMiddle, leaf, user));
        assertThat(calls("r:src/main/java:p.User#run(Leaf)")).containsExactly("r:src/main/java:p.Root#name() package");
        writer.write(List.of(parsed("p/Middle.java",
            "package p;\npublic class Middle extends Root { @Override public String name() { return \"m\"; } }\n")));
        assertThat(calls("r:src/main/java:p.User#run(Leaf)")).as("the override added to Middle takes the call")
            .containsExactly("r:src/main/java:p.Middle#name() package");
    }

    @Test
    void aCallSettledThroughALaterCandidateMovesWhenAnEarlierCandidateIsDeclared() throws Exception {
        // Chars in p, which imports q.*: p.Chars (the file's package) comes before q.Chars (on demand). With only
        // q.Chars declared the call lands there; once p.Chars is declared it must move, as a type reference does
        // (java.base: sun.nio.cs.StringUTF16.getChar(..) stayed on java.lang.StringUTF16 when that arrived first).
        GraphFragment imported = parsed("q/Chars.java",
            "package q;\npublic class Chars { public static char at(String s) { return 'q'; } }\n");
        GraphFragment samePackage = parsed("p/Chars.java",
            "package p;\nclass Chars { static char at(String s) { return 'p'; } }\n");
        GraphFragment encoder = parsed("p/Encoder.java",
            "package p;\nimport q.*;\nclass Encoder { char first(String s) { return Chars.at(s); } }\n");

        assertSameGraphInEveryOrder(imported, samePackage, encoder);
        assertThat(calls("r:src/main/java:p.Encoder#first(String)"))
            .containsExactly("r:src/main/java:p.Chars#at(String) package");
    }

    @Test
    void aCallMadeOnATypeIsSettledAgainWhenItsSupertypeEdgeMoves() throws Exception {
        // Names extends AbstractList in p, which imports java.util.*: until p.AbstractList is declared the edge goes
        // to the JDK's java.util.AbstractList, which has no extra(), so names.extra() is parked on a placeholder of
        // p.Names. Declaring p.AbstractList moves the edge; the call must follow (java.base: X509Certificate's
        // getEncoded() stayed parked when X509Certificate arrived before java.security.cert.Certificate).
        GraphFragment base = parsed("p/AbstractList.java",
            "package p;\npublic abstract class AbstractList { public int extra() { return 0; } }\n");
        GraphFragment names = parsed("p/Names.java",
            "package p;\nimport java.util.*;\npublic abstract class Names extends AbstractList {}\n");
        GraphFragment user = parsed("p/User.java",
            "package p;\nclass User { int count(Names names) { return names.extra(); } }\n");

        assertSameGraphInEveryOrder(base, names, user);
        assertThat(calls("r:src/main/java:p.User#count(Names)"))
            .containsExactly("r:src/main/java:p.AbstractList#extra() package");
    }

    @Test
    void aCallThroughAStaticImportSettlesWhicheverFileArrivesFirst() throws Exception {
        // java.base: LinuxFileSystem.getMountEntries() calls getlinelen(..) through
        // import static sun.nio.fs.LinuxNativeDispatcher.*, and UnixNativeDispatcher, the superclass in another file,
        // declares it. The unqualified call's options are the enclosing type (it extends something, so it could
        // inherit len), then the statically imported type. Settled while the imported type's hierarchy is incomplete
        // (Native, then User, then Base: Base's arrival moves Native's EXTENDS), the call is parked on the first
        // option and must move once the hierarchy is complete, as it must when Native itself arrives last.
        GraphFragment base = parsed("q/Base.java",
            "package q;\npublic class Base { public static int len(long x) { return 0; } }\n");
        GraphFragment imported = parsed("q/Native.java", "package q;\npublic class Native extends Base {}\n");
        GraphFragment user = parsed("p/User.java",
            "package p;\nimport static q.Native.*;\nclass User extends Thread { int size() { return len(1L); } }\n");

        assertSameGraphInEveryOrder(base, imported, user);
        assertThat(calls("r:src/main/java:p.User#size()")).containsExactly("r:src/main/java:q.Base#len(long) exact");
    }
}
