package io.ast2graph.common.json;

import io.ast2graph.common.model.FileRef;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.ParseProblem;
import io.ast2graph.common.model.ScanEvent;
import io.ast2graph.common.model.TypeReference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The message contracts survive JSON both ways, tolerate newer fields, and serialize deterministically. */
class JsonContractsTest {
    @Test
    void fileRefsRoundTripWithEveryContentMode() {
        var inline = new FileRef("s1", "repo", "src/A.java", "ab", 3, 7, new FileRef.Inline("abc".getBytes(StandardCharsets.UTF_8)));
        var reference = new FileRef("s1", "repo", "src/A.java", "ab", 3, 7, new FileRef.Reference("src/A.java"));
        var deleted = new FileRef("s1", "repo", "src/A.java", "", 0, 8, new FileRef.Deleted());

        FileRef inlineBack = Json.read(Json.write(inline), FileRef.class);
        assertThat(inlineBack.content()).isInstanceOfSatisfying(FileRef.Inline.class,
            c -> assertThat(new String(c.bytes(), StandardCharsets.UTF_8)).isEqualTo("abc"));
        assertThat(inlineBack.version()).isEqualTo(7);
        assertThat(Json.read(Json.write(reference), FileRef.class)).isEqualTo(reference);
        assertThat(Json.read(Json.write(deleted), FileRef.class)).isEqualTo(deleted);
        assertThat(Json.writeString(reference)).contains("\"mode\":\"reference\"");
    }

    @Test
    void fragmentsRoundTripWithTypedPropertyValues() {
        var fragment = new GraphFragment("s", "r", "A.java", "sha", 5, "r:A.java", 1,
            List.of(new GraphNode("Type", "r:src:p.A", List.of("Class"),
                Map.of("name", "A", "line", 3L, "abstract", false, "ratio", 0.5, "names", List.of("x", "y")), false)),
            List.of(new GraphRelationship("DECLARES", "File", "r:A.java", "Type", "r:src:p.A", Map.of())),
            List.of(new ParseProblem("bad", 4)));

        GraphFragment back = Json.read(Json.write(fragment), GraphFragment.class);

        assertThat(back).isEqualTo(fragment);
        // Integral values come back as Long, the type the Neo4j driver stores, whatever size they are.
        assertThat(back.nodes().getFirst().properties().get("line")).isInstanceOf(Long.class);
    }

    @Test
    void fragmentsReadThroughAPoolShareEachStringAndEqualThoseReadWithout() {
        var first = new GraphFragment("s", "r", "A.java", "sha", 5, "r:A.java", 1,
            List.of(new GraphNode("Type", "r:src:p.A", List.of("Class"), Map.of("name", "A", "names", List.of("p.A")), false)),
            List.of(new GraphRelationship("DECLARES", "File", "r:A.java", "Type", "r:src:p.A", Map.of("via", "p.A"))),
            List.of());
        var second = new GraphFragment("s", "r", "B.java", "sha", 6, "r:B.java", 1, List.of(),
            List.of(new GraphRelationship("EXTENDS", "Type", "r:src:p.B", "Type", "r:src:p.A", Map.of())), List.of());
        var pool = new StringPool();

        GraphFragment a = Json.read(Json.write(first), GraphFragment.class, pool);
        GraphFragment b = Json.read(Json.write(second), GraphFragment.class, pool);

        assertThat(a).isEqualTo(first);
        assertThat(b).isEqualTo(second);
        String declared = a.nodes().getFirst().id();
        // The same instance wherever the string recurs: in a record, across messages, in lists and property maps.
        assertThat(a.relationships().getFirst().toId()).isSameAs(declared);
        assertThat(b.relationships().getFirst().toId()).isSameAs(declared);
        assertThat(b.relationships().getFirst().fromLabel()).isSameAs(a.nodes().getFirst().label());
        assertThat(a.relationships().getFirst().properties().get("via"))
            .isSameAs(((List<?>) a.nodes().getFirst().properties().get("names")).getFirst());
        // A read without the pool takes none of its instances.
        GraphFragment c = Json.read(Json.write(second), GraphFragment.class);
        assertThat(c.relationships().getFirst().toId()).isEqualTo(declared).isNotSameAs(declared);
    }

    @Test
    void referencesRoundTripWithTheirPropertiesAndOlderOnesHaveNone() {
        var candidate = new TypeReference.Candidate("java.lang.Deprecated", "java.lang.Deprecated",
            TypeReference.Resolution.IMPORT, true, true);
        var reference = new TypeReference("ANNOTATED_BY", "Type", "r:src:p.A", "r:src", List.of(candidate),
            Map.of("since", "9", "forRemoval", true, "level", 2L, "names", List.of("a")));

        TypeReference back = Json.read(Json.write(reference), TypeReference.class);

        assertThat(back).isEqualTo(reference);
        assertThat(back.properties().get("level")).isInstanceOf(Long.class);
        String older = Json.writeString(reference).replaceFirst(",?\"properties\":\\{[^}]*\\}", "");
        assertThat(older).doesNotContain("properties");
        assertThat(Json.read(older, TypeReference.class).properties()).isEmpty();
    }

    @Test
    void aReferenceMayNotTakeTheKeysTheLinkStepKeeps() {
        var candidate = new TypeReference.Candidate("x.A", "x.A", TypeReference.Resolution.IMPORT, true, true);

        assertThatThrownBy(() -> new TypeReference("ANNOTATED_BY", "Type", "t", "r:src", List.of(candidate),
            Map.of("resolution", "high"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolution");
    }

    @Test
    void theSameFragmentIsTheSameBytesWhateverTheMapOrder() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1L);
        ab.put("b", 2L);
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", 2L);
        ba.put("a", 1L);
        var one = new GraphNode("Type", "t", List.of(), ab, false);
        var two = new GraphNode("Type", "t", List.of(), ba, false);

        assertThat(Json.write(one)).isEqualTo(Json.write(two));
    }

    @Test
    void newerFieldsAreIgnoredAndGarbageIsAMalformedMessage() {
        String newer = "{\"scanId\":\"s\",\"repo\":\"r\",\"stage\":\"WRITER\",\"status\":\"DONE\",\"path\":\"A.java\","
            + "\"count\":0,\"timeMillis\":1,\"someFieldFromTheFuture\":42}";
        ScanEvent event = Json.read(newer.getBytes(StandardCharsets.UTF_8), ScanEvent.class);
        assertThat(event.path()).isEqualTo("A.java");
        assertThat(event.detail()).isEmpty();

        assertThatThrownBy(() -> Json.read("{not json".getBytes(StandardCharsets.UTF_8), FileRef.class))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("FileRef");
    }
}
