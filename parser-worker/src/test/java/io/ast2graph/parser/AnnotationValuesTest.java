package io.ast2graph.parser;

import static io.ast2graph.parser.Fragments.build;
import static io.ast2graph.parser.Fragments.typeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.TypeReference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class AnnotationValuesTest {

    private static Map<String, Object> referenceValues(GraphFragment fragment, String fromId, String annotation) {
        List<TypeReference> found = fragment.references().stream()
            .filter(r -> r.type().equals("ANNOTATED_BY") && r.fromId().equals(fromId)
                && r.candidates().stream().anyMatch(c -> c.fqn().endsWith(annotation)))
            .toList();
        assertThat(found).as("ANNOTATED_BY %s from %s", annotation, fromId).hasSize(1);
        return found.getFirst().properties();
    }

    @Test
    void literalsBecomeTypedValues() {
        GraphFragment fragment = build("src/main/java/p/A.java", """
            package p;
            import x.Setting;
            @Setting(name = "a\\tb", block = \"""
                text\""", letter = 'c', count = 0x10, big = 12_000_000_000L, negative = -3,
                smallest = -2147483648, longest = -9223372036854775808L, ratio = -1.5e3, on = true)
            class A {}
            """);

        assertThat(referenceValues(fragment, typeId("p.A"), "Setting")).containsOnly(
            entry("name", "a\tb"),
            entry("block", "text"),
            entry("letter", "c"),
            entry("count", 16L),
            entry("big", 12_000_000_000L),
            entry("negative", -3L),
            entry("smallest", (long) Integer.MIN_VALUE),
            entry("longest", Long.MIN_VALUE),
            entry("ratio", -1500.0),
            entry("on", true));
    }

    @Test
    void namesAreKeptAsWrittenAndArraysAsStrings() {
        GraphFragment fragment = build("src/main/java/p/A.java", """
            package p;
            import java.lang.annotation.*;
            @Retention(RetentionPolicy.RUNTIME)
            @Target({ElementType.TYPE, ElementType.METHOD})
            @x.Uses(value = String.class, sizes = {1, -2}, names = {"a", "b"})
            @interface A {}
            """);

        String a = typeId("p.A");
        assertThat(referenceValues(fragment, a, "Retention")).containsOnly(entry("value", "RetentionPolicy.RUNTIME"));
        assertThat(referenceValues(fragment, a, "Target"))
            .containsOnly(entry("value", List.of("ElementType.TYPE", "ElementType.METHOD")));
        assertThat(referenceValues(fragment, a, "Uses")).containsOnly(
            entry("value", "String.class"), entry("sizes", List.of("1", "-2")), entry("names", List.of("a", "b")));
    }

    @Test
    void whatNeedsTheWholeProgramOrTakesAnEdgeKeyIsLeftOut() {
        GraphFragment fragment = build("src/main/java/p/A.java", """
            package p;
            import x.Setting;
            class A {
                static final int MAX = 3;
                @Setting(sum = MAX + 1, joined = "a" + "b", nested = @Deprecated, folded = max,
                         mixed = {"a", MAX + 1}, none = {}, resolution = "high", origin = "x", dollar$ = 1,
                         kept = 1)
                @Setting(kept = 2)
                void m() {}
            }
            """);

        assertThat(referenceValues(fragment, typeId("p.A") + "#m()", "Setting")).containsOnly(entry("kept", 1L));
    }

    @Test
    void anEdgeTheFileSettlesCarriesTheValuesBesideItsResolution() {
        GraphFragment fragment = build("src/main/java/p/A.java", """
            package p;
            @A.Marker(level = 2)
            class A {
                @interface Marker { int level(); }
            }
            """);

        GraphRelationship edge = fragment.relationships().stream()
            .filter(r -> r.type().equals("ANNOTATED_BY")).findFirst().orElseThrow();
        assertThat(edge.toId()).isEqualTo(typeId("p.A$Marker"));
        assertThat(edge.properties()).containsOnly(entry("resolution", "exact"), entry("level", 2L));
    }
}
