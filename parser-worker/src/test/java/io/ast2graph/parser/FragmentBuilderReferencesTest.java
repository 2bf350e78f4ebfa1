package io.ast2graph.parser;

import static io.ast2graph.parser.Fragments.build;
import static io.ast2graph.parser.Fragments.references;
import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.TypeReference;
import org.junit.jupiter.api.Test;

import java.util.Map;

class FragmentBuilderReferencesTest {
    private static final String A = "repo:src/main/java:p.A";
    private static final String RUN = A + "#run(Imported,int,Object)";

    static final String SOURCE = """
        package p;

        import java.util.List;
        import java.util.concurrent.*;
        import q.Imported;
        import r.*;

        @Deprecated
        public class A<T> extends Base implements Comparable<A<T>>, A.Inner.Marker {
            interface Inner { interface Marker {} }
            private List<Helper> helpers;
            T value;
            public Future<String> run(@Nonnull Imported in, int n, T t) throws java.io.IOException, Problem {
                return null;
            }
        }
        """;

    @Test
    void namesResolveInLookupOrderAndWhatTheFileCannotSettleKeepsItsCandidates() {
        GraphFragment fragment = build("src/main/java/p/A.java", SOURCE);

        // Settled in the file: a member type; type variables (T) and primitives (int) reference no type.
        // Left to the link step: candidates in lookup order (package, on-demand imports, java.lang), cut after the
        // first certain one (!); the fallback (?) is the first import of a package the JDK does not have.
        assertThat(references(fragment)).containsExactly(
            A + " -IMPLEMENTS-> " + A + "$Inner$Marker (exact)",
            A + " -DEPENDS_ON-> " + A + "$Inner$Marker (exact)",
            "repo:src/main/java/p/A.java -IMPORTS-> [import java.util.List!?]",
            "repo:src/main/java/p/A.java -IMPORTS-> [import q.Imported!?]",
            // The header (extends, implements, the type's annotations) does not see the type's members.
            A + " -EXTENDS-> [package p.Base, import java.util.concurrent.Base, import r.Base?]",
            A + " -IMPLEMENTS-> [package p.Comparable, import java.util.concurrent.Comparable, import r.Comparable?,"
                + " import java.lang.Comparable!]",
            A + " -ANNOTATED_BY-> [package p.Deprecated, import java.util.concurrent.Deprecated, import r.Deprecated?,"
                + " import java.lang.Deprecated!]",
            A + "#helpers -OF_TYPE-> [import java.util.List!?]",
            RUN + " -RETURNS-> [package p.Future?, import java.util.concurrent.Future!]",
            RUN + "@0 -OF_TYPE-> [import q.Imported!?]",
            // In the body, a name nothing certain resolves may be a member type A inherits: the link step looks.
            RUN + "@0 -ANNOTATED_BY-> [inherited p.A.Nonnull, package p.Nonnull, import java.util.concurrent.Nonnull,"
                + " import r.Nonnull?]",
            RUN + " -THROWS-> [exact java.io.IOException!?]",
            RUN + " -THROWS-> [inherited p.A.Problem, package p.Problem, import java.util.concurrent.Problem,"
                + " import r.Problem?]",
            // Dependencies: every type the class and its members name, type arguments included, itself excluded.
            A + " -DEPENDS_ON-> [package p.Base, import java.util.concurrent.Base, import r.Base?]",
            A + " -DEPENDS_ON-> [package p.Comparable, import java.util.concurrent.Comparable, import r.Comparable?,"
                + " import java.lang.Comparable!]",
            A + " -DEPENDS_ON-> [package p.Deprecated, import java.util.concurrent.Deprecated, import r.Deprecated?,"
                + " import java.lang.Deprecated!]",
            A + " -DEPENDS_ON-> [import java.util.List!?]",
            A + " -DEPENDS_ON-> [inherited p.A.Helper, package p.Helper, import java.util.concurrent.Helper,"
                + " import r.Helper?]",
            A + " -DEPENDS_ON-> [package p.Future?, import java.util.concurrent.Future!]",
            A + " -DEPENDS_ON-> [package p.String, import java.util.concurrent.String, import r.String?,"
                + " import java.lang.String!]",
            A + " -DEPENDS_ON-> [import q.Imported!?]",
            A + " -DEPENDS_ON-> [inherited p.A.Nonnull, package p.Nonnull, import java.util.concurrent.Nonnull,"
                + " import r.Nonnull?]",
            A + " -DEPENDS_ON-> [exact java.io.IOException!?]",
            A + " -DEPENDS_ON-> [inherited p.A.Problem, package p.Problem, import java.util.concurrent.Problem,"
                + " import r.Problem?]");
    }

    @Test
    void methodsHaveTheirParametersByPosition() {
        GraphFragment fragment = build("src/main/java/p/A.java", SOURCE);

        assertThat(Fragments.relationships(fragment)).isNotEmpty();
        assertThat(fragment.relationships().stream().filter(r -> r.type().equals("HAS"))
            .map(r -> r.toId() + " " + new java.util.TreeMap<>(Fragments.properties(fragment, r.toId()))))
            .containsExactly(RUN + "@0 {index=0, name=in}", RUN + "@1 {index=1, name=n}", RUN + "@2 {index=2, name=t, typeVariable=T}");
    }

    @Test
    void javacsImplicitSupertypesAreEmittedAndMemberTypesOfEnclosingTypesAreInScope() {
        GraphFragment fragment = build("src/main/java/p/Kinds.java", """
            package p;
            import java.util.Map;
            interface Kinds {
                interface Node {}
                enum Color implements Node { RED }
                record Point(Map.Entry<String, Integer> entry) implements Node {}
                @interface Tag {}
                class Plain { <N extends Node> N pick(N n, Node other) { return n; } }
            }
            """);
        String kinds = "repo:src/main/java:p.Kinds";

        assertThat(references(fragment)).filteredOn(line -> !line.contains("DEPENDS_ON")).containsExactly(
            kinds + "$Color -IMPLEMENTS-> " + kinds + "$Node (exact)",
            kinds + "$Color#RED -OF_TYPE-> " + kinds + "$Color (exact)",
            // The enum's implicit values() and valueOf(String) return it.
            kinds + "$Color#values() -RETURNS-> " + kinds + "$Color (exact)",
            kinds + "$Color#valueOf(String) -RETURNS-> " + kinds + "$Color (exact)",
            kinds + "$Point -IMPLEMENTS-> " + kinds + "$Node (exact)",
            kinds + "$Plain#pick(Node,Node)@1 -OF_TYPE-> " + kinds + "$Node (exact)",
            "repo:src/main/java/p/Kinds.java -IMPORTS-> [import java.util.Map!?]",
            kinds + "$Color -EXTENDS-> [exact java.lang.Enum!?]",
            kinds + "$Color#valueOf(String)@0 -OF_TYPE-> [exact java.lang.String!?]",
            kinds + "$Point -EXTENDS-> [exact java.lang.Record!?]",
            kinds + "$Point#entry -OF_TYPE-> [import java.util.Map.Entry!?]",
            // The record's implicit canonical constructor, accessor, equals(Object) and toString().
            kinds + "$Point#<init>(Map.Entry)@0 -OF_TYPE-> [import java.util.Map.Entry!?]",
            kinds + "$Point#entry() -RETURNS-> [import java.util.Map.Entry!?]",
            kinds + "$Point#equals(Object)@0 -OF_TYPE-> [exact java.lang.Object!?]",
            kinds + "$Point#toString() -RETURNS-> [exact java.lang.String!?]",
            kinds + "$Tag -EXTENDS-> [exact java.lang.annotation.Annotation!?]",
            kinds + "$Plain -EXTENDS-> [exact java.lang.Object!?]");
        TypeReference entry = fragment.references().stream()
            .filter(reference -> reference.fromId().equals(kinds + "$Point#entry")).findFirst().orElseThrow();
        assertThat(entry.candidates().getFirst().binaryName()).isEqualTo("java.util.Map$Entry");
        assertThat(entry.origin()).isEqualTo("repo:src/main/java");
    }

    @Test
    void aFileImportsEachTypeOnceAndMarksTheTypesWhoseMembersItImportsStatically() {
        GraphFragment fragment = build("src/main/java/p/Statics.java", """
            package p;

            import java.util.List;
            import static java.util.Objects.requireNonNull;
            import static java.util.Objects.isNull;
            import static q.Checks.*;
            import static p.Statics.Inner.*;
            import q.Checks;

            class Statics { static class Inner { static int one() { return 1; } } }
            """);
        String file = "repo:src/main/java/p/Statics.java";

        assertThat(fragment.references()).filteredOn(reference -> reference.type().equals("IMPORTS"))
            .extracting(reference -> reference.candidates().getFirst().fqn() + " " + reference.properties())
            .containsExactly("java.util.List {}", "q.Checks {static=true}", "java.util.Objects {static=true}");
        assertThat(Fragments.references(fragment)).filteredOn(line -> line.startsWith(file))
            .as("a type of the file itself is imported exactly")
            .contains(file + " -IMPORTS-> repo:src/main/java:p.Statics$Inner (exact)");
        assertThat(fragment.relationships()).filteredOn(relationship -> relationship.type().equals("IMPORTS"))
            .singleElement().satisfies(relationship -> assertThat(relationship.properties()).containsEntry("static", true));
    }

    @Test
    void jdkTypesKnowBinaryNamesAndLeaveOutLocalAndAnonymousClasses() {
        JdkTypes jdk = JdkTypes.system();

        assertThat(jdk.binaryName("java.util.Map.Entry")).contains("java.util.Map$Entry");
        assertThat(jdk.binaryName("java.lang.String")).contains("java.lang.String");
        assertThat(jdk.binaryName("java.lang.Nope")).isEmpty();
        assertThat(jdk.isPackage("java.util.concurrent")).isTrue();
        assertThat(jdk.size()).isGreaterThan(10_000);
    }

    @Test
    void candidatesSurviveTheirEncodingOnEdges() {
        var candidate = new TypeReference.Candidate("a.B.C", "a.B$C", TypeReference.Resolution.PACKAGE, true, false);

        assertThat(TypeReference.Candidate.decode(candidate.encoded())).isEqualTo(candidate);
        assertThat(candidate.encoded()).isEqualTo("package;c;a.B.C;a.B$C");
        assertThat(Map.of("name", candidate.name())).containsEntry("name", "C");
    }
}
