package io.ast2graph.producer;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GlobFilterTest {
    @Test
    void everySegmentLeadingDoubleStarMayMatchNoDirectory() {
        assertThat(GlobFilter.zeroDirectoryVariants("**/*.java")).containsExactlyInAnyOrder("**/*.java", "*.java");
        assertThat(GlobFilter.zeroDirectoryVariants("src/**/test/**/*.java")).containsExactlyInAnyOrder(
            "src/**/test/**/*.java", "src/**/test/*.java", "src/test/**/*.java", "src/test/*.java");
    }

    @Test
    void doubleStarInsideANameIsLeftAsItIs() {
        assertThat(GlobFilter.zeroDirectoryVariants("gen**/*.java")).containsExactly("gen**/*.java");
    }

    @Test
    void excludeWinsOverInclude() {
        var filter = new GlobFilter(List.of("**/*.java"), List.of("**/generated/**"));

        assertThat(filter.accepts(Path.of("a/Main.java"))).isTrue();
        assertThat(filter.accepts(Path.of("generated/Gen.java"))).isFalse();
        assertThat(filter.accepts(Path.of("a/generated/b/Gen.java"))).isFalse();
        assertThat(filter.accepts(Path.of("a/Main.kt"))).isFalse();
    }
}
