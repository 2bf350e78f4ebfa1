package io.ast2graph.parser;

import static io.ast2graph.parser.Fragments.build;
import static io.ast2graph.parser.Fragments.nodes;
import static io.ast2graph.parser.Fragments.nodesLabelled;
import static io.ast2graph.parser.Fragments.properties;
import static io.ast2graph.parser.Fragments.relationships;
import static io.ast2graph.parser.Fragments.typeId;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.JavaParser;
import com.github.javaparser.Processor;
import com.github.javaparser.Provider;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.ParseProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Every file yields a fragment with its File node, whatever its bytes; and the same bytes the same fragment. */
class FragmentBuilderRobustnessTest {

    /**
     * The parser runs the language level's post-processing but not its validators ({@link FragmentBuilder#newParser()}):
     * checks that the processor it replaces is the language level's, wherever JavaParser puts it.
     */
    @Test
    void theParserPostProcessesTheLanguageLevelButLeavesOutItsValidators() {
        String source = """
            class A {
                abstract final void twice();
                int m(int k) {
                    var local = k;
                    return switch (k) { case 1 -> 2; default -> { yield local; } };
                }
            }
            """;
        var validated = new JavaParser(new com.github.javaparser.ParserConfiguration()
            .setLanguageLevel(FragmentBuilder.LANGUAGE_LEVEL)).parse(source);
        assertThat(validated.getProblems()).as("the validators' premise: they reject abstract and final together")
            .isNotEmpty().allSatisfy(problem -> assertThat(problem.getMessage()).contains("abstract"));

        var parsed = FragmentBuilder.newParser().parse(source);
        assertThat(parsed.getProblems()).as("no validator ran; the grammar took yield").isEmpty();
        var local = parsed.getResult().orElseThrow().findFirst(com.github.javaparser.ast.body.VariableDeclarator.class,
            v -> v.getNameAsString().equals("local")).orElseThrow();
        assertThat(local.getType()).as("post-processed: var is a VarType").isInstanceOf(com.github.javaparser.ast.type.VarType.class);
    }

    /** The post-processing runs only where a token is the identifier {@code var}: not for one in a comment or a literal. */
    @Test
    void onlyAFileWithTheIdentifierVarIsPostProcessed() {
        var parser = FragmentBuilder.newParser();
        var without = parser.parse("""
            /** var, as in "var x = 1" */
            class A { String s = "var"; int variable; void var2() {} }
            """).getResult().orElseThrow();
        assertThat(FragmentBuilder.namesVar(without.getTokenRange().orElseThrow())).isFalse();

        var asType = parser.parse("class B { void f() { for (var e : java.util.List.of(1)) {} } }").getResult().orElseThrow();
        assertThat(FragmentBuilder.namesVar(asType.getTokenRange().orElseThrow())).isTrue();
        assertThat(asType.findFirst(com.github.javaparser.ast.body.VariableDeclarator.class).orElseThrow().getType())
            .isInstanceOf(com.github.javaparser.ast.type.VarType.class);

        var asName = parser.parse("class C { int var = 1; }").getResult().orElseThrow();
        assertThat(FragmentBuilder.namesVar(asName.getTokenRange().orElseThrow())).as("a field named var").isTrue();
        assertThat(asName.findFirst(com.github.javaparser.ast.body.VariableDeclarator.class).orElseThrow().getType())
            .as("the post-processing leaves a field's type alone").isInstanceOf(com.github.javaparser.ast.type.PrimitiveType.class);
    }

    @Test
    void syntaxErrorKeepsTheRecoveredDeclarationsAndReportsTheProblemWithItsLine() {
        GraphFragment fragment = build("src/main/java/p/A.java", """
            package p;
            class A {
                int x;
                void f() { int y = ; }
                void g() {}
            }
            class C {}
            """);

        assertThat(nodes(fragment)).containsExactly(
            "File repo:src/main/java/p/A.java",
            "Package p",
            "Type[Class] " + typeId("p.A"),
            "Field " + typeId("p.A") + "#x",
            "Method " + typeId("p.A") + "#f()",
            "Method " + typeId("p.A") + "#g()",
            "Method[Constructor] " + typeId("p.A") + "#<init>()",
            "Type[Class] " + typeId("p.C"),
            "Method[Constructor] " + typeId("p.C") + "#<init>()");
        assertThat(fragment.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.message()).startsWith("Parse error. Found \";\"").doesNotContain("\n");
            assertThat(problem.message().length()).isLessThanOrEqualTo(ParseProblems.MAX_MESSAGE_LENGTH);
            assertThat(problem.line()).isEqualTo(4);
        });
        assertThat(properties(fragment, "repo:src/main/java/p/A.java")).containsEntry("parseErrors", 1L);
    }

    @Test
    void unrecoverableSyntaxErrorYieldsTheFileNodeAndTheProblem() {
        GraphFragment fragment = build("src/main/java/p/A.java", """
            package p;
            class A {
                int x;
                void f() { }
            """);

        assertThat(nodes(fragment)).containsExactly("File repo:src/main/java/p/A.java");
        assertThat(fragment.relationships()).isEmpty();
        assertThat(fragment.problems()).singleElement()
            .satisfies(problem -> assertThat(problem.message()).startsWith("Parse error. Found <EOF>"));
        assertThat(properties(fragment, "repo:src/main/java/p/A.java"))
            .containsEntry("parseErrors", 1L)
            .containsEntry("loc", 4L);
    }

    @Test
    void nestingTooDeepForTheStackYieldsTheFileNodeAndTheProblemAndTheParserRecovers() {
        // 100,000 levels need far more than any thread stack: the parser recurses through ~20 frames per level.
        int depth = 100_000;
        String source = "class Deep { int a = " + "(a+".repeat(depth) + "a" + ")".repeat(depth) + "; }";
        FragmentBuilder builder = new FragmentBuilder();

        GraphFragment deep = builder.build("scan", "repo", "Deep.java", "sha", 1, source.getBytes(UTF_8));

        assertThat(nodes(deep)).containsExactly("File repo:Deep.java");
        assertThat(deep.problems()).containsExactly(new ParseProblem("StackOverflowError: nesting too deep", 0));
        assertThat(properties(deep, "repo:Deep.java")).containsEntry("parseErrors", 1L);

        // The same thread parses the next file normally.
        GraphFragment next = builder.build("scan", "repo", "Fine.java", "sha", 1, "class Fine {}".getBytes(UTF_8));
        assertThat(nodes(next)).containsExactly(
            "File repo:Fine.java", "Package ", "Type[Class] repo::Fine", "Method[Constructor] repo::Fine#<init>()");
        assertThat(next.problems()).isEmpty();
    }

    @Test
    void unexpectedParserExceptionYieldsTheFileNodeAndTheProblemAndAFreshParser() {
        AtomicInteger parsersCreated = new AtomicInteger();
        FragmentBuilder builder = new FragmentBuilder(() -> {
            JavaParser parser = FragmentBuilder.newParser();
            if (parsersCreated.incrementAndGet() == 1) {
                // A pre-processor runs outside JavaParser's own catch: its exception reaches the builder.
                parser.getParserConfiguration().getProcessors().add(() -> new Processor() {
                    @Override
                    public Provider preProcess(Provider innerProvider) {
                        throw new IllegalStateException("boom");
                    }
                });
            }
            return parser;
        });

        GraphFragment failed = builder.build("scan", "repo", "A.java", "sha", 1, "class A {}".getBytes(UTF_8));

        assertThat(nodes(failed)).containsExactly("File repo:A.java");
        assertThat(failed.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.message()).startsWith("IllegalStateException: boom at ");
            assertThat(problem.line()).isZero();
        });

        GraphFragment next = builder.build("scan", "repo", "A.java", "sha", 1, "class A {}".getBytes(UTF_8));
        assertThat(parsersCreated).hasValue(2);
        assertThat(nodes(next)).contains("Type[Class] repo::A");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // ~2 s on a laptop; the bound only catches a quadratic slip
    void fileOfOneHundredThousandLinesParses() {
        int methods = 20_000;
        StringBuilder source = new StringBuilder("package big;\npublic class Big {\n");
        for (int i = 0; i < methods; i++) {
            source.append("    int m").append(i).append("(int a) {\n")
                .append("        int b = a + ").append(i).append(";\n")
                .append("        return b;\n")
                .append("    }\n")
                .append('\n');
        }
        source.append("}\n");

        GraphFragment fragment = build("src/main/java/big/Big.java", source.toString());

        assertThat(fragment.problems()).isEmpty();
        assertThat(nodesLabelled(fragment, "Method")).hasSize(methods + 1); // and Big's default constructor
        assertThat(properties(fragment, "repo:src/main/java/big/Big.java")).containsEntry("loc", 100_003L);
        assertThat(properties(fragment, typeId("big.Big") + "#m19999(int)")).containsEntry("line", 99_998L);
    }

    @Test
    void latin1BytesAreReadAsIso88591WithAProblem() {
        byte[] latin1 = """
            package p;
            // Grüße
            class Café { String s = "é"; }
            """.getBytes(ISO_8859_1);

        GraphFragment fragment = build("src/main/java/p/Café.java", latin1);

        assertThat(fragment.problems())
            .containsExactly(new ParseProblem("The file is not valid UTF-8; it was read as ISO-8859-1", 0));
        assertThat(properties(fragment, typeId("p.Café"))).containsEntry("name", "Café");
        assertThat(properties(fragment, "repo:src/main/java/p/Café.java")).containsEntry("parseErrors", 1L);
    }

    @Test
    void utf8ByteOrderMarkIsSkipped() {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        content.writeBytes("package p;\nclass Grüße {}\n".getBytes(UTF_8));

        GraphFragment fragment = build("src/main/java/p/Grüße.java", content.toByteArray());

        assertThat(fragment.problems()).isEmpty();
        assertThat(nodes(fragment)).contains("Type[Class] " + typeId("p.Grüße"));
        assertThat(properties(fragment, "repo:src/main/java/p/Grüße.java")).containsEntry("loc", 2L);
    }

    @Test
    void duplicateDeclarationsKeepTheFirstAndReportTheOthers() {
        GraphFragment fragment = build("src/main/java/p/A.java", """
            package p;
            import java.util.List;
            class A {
                int x;
                String x;
                void f(List<String> a) {}
                void f(List<Integer> b) {}
            }
            class A { int y; }
            """);

        String a = typeId("p.A");
        assertThat(nodes(fragment)).containsExactly(
            "File repo:src/main/java/p/A.java",
            "Package p",
            "Type[Class] " + a,
            "Field " + a + "#x",
            "Method " + a + "#f(List)",
            "Method[Constructor] " + a + "#<init>()"); // the first A's default constructor; the second A has none
        assertThat(properties(fragment, a + "#x")).containsEntry("type", "int");
        assertThat(relationships(fragment)).hasSize(5);
        assertThat(fragment.problems()).extracting(ParseProblem::line).containsExactly(5, 7, 9);
        assertThat(fragment.problems().getFirst().message())
            .isEqualTo("Duplicate Field declaration " + a + "#x ignored; the first one is kept");
        assertThat(properties(fragment, "repo:src/main/java/p/A.java")).containsEntry("parseErrors", 3L);
    }

    @Test
    void emptyFileYieldsOnlyItsFileNode() {
        GraphFragment fragment = build("Empty.java", new byte[0]);

        assertThat(nodes(fragment)).containsExactly("File repo:Empty.java");
        assertThat(properties(fragment, "repo:Empty.java")).containsEntry("loc", 0L).containsEntry("parseErrors", 0L);
    }

    @Test
    void sameBytesGiveEqualFragments() {
        byte[] source = FragmentBuilderDeclarationsTest.SHAPE_SOURCE.getBytes(UTF_8);

        GraphFragment first = build("src/main/java/com/example/shapes/Shape.java", source);
        GraphFragment second = new FragmentBuilder()
            .build(Fragments.SCAN, Fragments.REPO, "src/main/java/com/example/shapes/Shape.java", Fragments.SHA,
                Fragments.VERSION, source);

        assertThat(second).isEqualTo(first);
        assertThat(second.toString()).isEqualTo(first.toString());
        assertThat(nodes(first)).hasSize(27); // 24 declared, and the default constructors of Registry, Entry, Outline
        assertThat(first.references()).isNotEmpty();
    }

    @Test
    void oneBuilderSharedByThreadsGivesEachTheSameFragmentsAsOneThread() throws Exception {
        FragmentBuilder shared = new FragmentBuilder();
        List<String> sources = List.of(
            FragmentBuilderDeclarationsTest.SHAPE_SOURCE,
            "package p;\nenum E { A, B { void f() {} }; int x; }\n",
            "package p;\nrecord R(int a, String... b) { R {} }\n");
        List<GraphFragment> expected = sources.stream()
            .map(source -> shared.build("s", "r", "p/X.java", "h", 1, source.getBytes(UTF_8)))
            .toList();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<GraphFragment>> results = new java.util.ArrayList<>();
            for (int round = 0; round < 50; round++) {
                for (String source : sources) {
                    results.add(pool.submit(() -> shared.build("s", "r", "p/X.java", "h", 1, source.getBytes(UTF_8))));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(expected.get(i % sources.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
