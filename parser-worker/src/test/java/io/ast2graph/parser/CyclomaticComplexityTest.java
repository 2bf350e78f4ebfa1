package io.ast2graph.parser;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.Statement;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fragment's complexities come from the call collector's walk of the bodies; {@link CyclomaticComplexity#count}
 * walks a body on its own. Both must agree on every method of real code: this repository's own sources, whose
 * bodies hold every counted construct, lambdas, anonymous classes and switch expressions. The members the language
 * declares implicitly (default constructors, record accessors, an enum's {@code values()}) have no body in the source
 * to walk: they are compared apart.
 */
class CyclomaticComplexityTest {

    @Test
    void theCallWalkCountsWhatAWalkOfItsOwnCounts() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("..").toAbsolutePath().normalize())) {
            sources = files.filter(path -> path.toString().endsWith(".java"))
                .filter(path -> path.toString().contains("/src/main/java/"))
                .filter(path -> !path.toString().contains("/target/"))
                .sorted()
                .toList();
        }
        assertThat(sources).hasSizeGreaterThan(50);

        List<String> fromFragments = new ArrayList<>();
        List<String> walkedAlone = new ArrayList<>();
        List<Object> implicitComplexities = new ArrayList<>();
        for (Path source : sources) {
            byte[] content = Files.readAllBytes(source);
            GraphFragment fragment = Fragments.build(source.toString(), content);
            for (GraphNode node : fragment.nodes()) {
                Object complexity = node.properties().get("cyclomaticComplexity");
                if (Boolean.TRUE.equals(node.properties().get("implicit"))) {
                    implicitComplexities.add(complexity);
                } else if (complexity != null) {
                    fromFragments.add(source.getFileName() + ":" + node.properties().get("line") + " " + complexity);
                }
            }
            CompilationUnit unit = FragmentBuilder.newParser().parse(new String(content)).getResult().orElseThrow();
            for (BodyDeclaration<?> callable : unit.findAll(BodyDeclaration.class)) { // compact constructors too
                BlockStmt body = CyclomaticComplexity.body(callable);
                if (body != null && declaredByNamedTypes(callable)) {
                    walkedAlone.add(source.getFileName() + ":" + callable.getBegin().orElseThrow().line + " "
                        + CyclomaticComplexity.count(body));
                }
            }
        }

        assertThat(fromFragments).hasSizeGreaterThan(500);
        assertThat(fromFragments).containsExactlyInAnyOrderElementsOf(walkedAlone);
        // No body of their own in the source: 1, as for a body without decisions (the instance initializers a
        // constructor runs count for no constructor, declared or implicit).
        assertThat(implicitComplexities).hasSizeGreaterThan(50).containsOnly(1L);
    }

    /** The fragment has the members of named types only: not those of local or anonymous classes. */
    private static boolean declaredByNamedTypes(Node callable) {
        for (Node parent = callable.getParentNode().orElse(null); !(parent instanceof CompilationUnit);
             parent = parent.getParentNode().orElse(null)) {
            if (!(parent instanceof TypeDeclaration<?>) || parent.getParentNode().orElseThrow() instanceof Statement) {
                return false;
            }
        }
        return true;
    }
}
