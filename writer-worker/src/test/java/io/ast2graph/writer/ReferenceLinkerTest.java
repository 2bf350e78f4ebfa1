package io.ast2graph.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.TypeReference;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class ReferenceLinkerTest {
    private static final Candidate SAME_PACKAGE = new Candidate("p.String", "p.String", Resolution.PACKAGE, false, false);
    private static final Candidate ON_DEMAND = new Candidate("q.String", "q.String", Resolution.IMPORT, false, true);
    private static final Candidate JAVA_LANG =
        new Candidate("java.lang.String", "java.lang.String", Resolution.IMPORT, true, false);
    private static final TypeReference STRING = new TypeReference("OF_TYPE", "Field", "r:src:p.A#f", "r:src",
        List.of(SAME_PACKAGE, ON_DEMAND, JAVA_LANG));

    @Test
    void aDeclarationOfAnEarlierCandidateShadowsTheJdk() {
        var target = ReferenceLinker.settle(STRING, Map.of("p.String", List.of("r:src:p.String")));

        assertThat(target).isEqualTo(new ReferenceLinker.Target("r:src:p.String", Resolution.PACKAGE, null));
    }

    @Test
    void withoutDeclarationsTheFirstCertainCandidateIsAnExternalType() {
        var target = ReferenceLinker.settle(STRING, Map.of());

        assertThat(target.id()).isEqualTo("external:java.lang.String");
        assertThat(target.resolution()).isEqualTo(Resolution.IMPORT);
        assertThat(target.external()).containsEntry("fqn", "java.lang.String").containsEntry("name", "String")
            .containsEntry("binaryName", "java.lang.String").containsEntry("external", true);
    }

    @Test
    void withoutDeclarationsOrCertaintyTheFallbackIsAnInferredPlaceholder() {
        var reference = new TypeReference("OF_TYPE", "Field", "r:src:p.A#f", "r:src", List.of(SAME_PACKAGE, ON_DEMAND));

        var target = ReferenceLinker.settle(reference, Map.of());

        assertThat(target.id()).isEqualTo("external:q.String");
        assertThat(target.resolution()).isEqualTo(Resolution.INFERRED);
    }

    @Test
    void ofSeveralDeclarationsTheSameSourceRootWinsThenTheSameRepository() {
        var declared = Map.of("p.String", List.of("other:src:p.String", "r:test:p.String", "r:src:p.String"));

        assertThat(ReferenceLinker.settle(STRING, declared).id()).isEqualTo("r:src:p.String");
        assertThat(ReferenceLinker.settle(STRING, Map.of("p.String", List.of("other:src:p.String", "r:test:p.String")))
            .id()).isEqualTo("r:test:p.String");
        assertThat(ReferenceLinker.settle(STRING, Map.of("p.String", List.of("z:src:p.String", "other:src:p.String")))
            .id()).isEqualTo("other:src:p.String");
    }
}
