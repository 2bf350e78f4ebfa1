package io.ast2graph.parser;

import com.github.javaparser.JavaParser;
import com.github.javaparser.JavaToken;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ParserConfiguration.LanguageLevel;
import com.github.javaparser.Processor;
import com.github.javaparser.TokenRange;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.validator.postprocessors.Java26PostProcessor;
import com.github.javaparser.ast.validator.postprocessors.PostProcessors;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.NodeIds;
import io.ast2graph.common.model.ParseProblem;
import io.ast2graph.parser.DeclarationCollector.Declarations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds the {@link GraphFragment} of one Java source file: a pure function of the file's bytes and identity, with
 * no I/O. What the fragment holds is described in {@link DeclarationCollector}.
 *
 * <p>A file always yields a fragment with its File node: syntax errors, bytes that are not UTF-8, nesting too deep
 * for the parser's stack and unexpected parser failures become {@link ParseProblem}s (and the File node's
 * {@code parseErrors}), never exceptions. Only {@link Error}s other than {@link StackOverflowError}, such as
 * {@link OutOfMemoryError}, escape: the worker cannot go on after those.
 *
 * <p>Thread-safe. JavaParser instances are not (each reuses its generated parser from one file to the next), so
 * every thread that calls {@link #build} gets its own, kept in a {@link ThreadLocal}: share one builder among the
 * parsing threads of a worker. A parser costs little to create, but a new virtual thread per file would create one
 * per file; parse on a pool of platform threads.
 */
public final class FragmentBuilder {

    /** The version of the graph this builder emits; bump it whenever the same source would give another fragment. */
    public static final int VERSION = 8;

    /** The newest Java that JavaParser 3.28.2 parses without preview features. */
    static final LanguageLevel LANGUAGE_LEVEL = LanguageLevel.JAVA_26;
    /** {@link #LANGUAGE_LEVEL}'s post-processing without its validators, which {@link #newParser()} leaves out. */
    private static final PostProcessors POST_PROCESSOR = new Java26PostProcessor();
    /** Where {@link ParserConfiguration}'s constructor puts the language level's processor among its processors. */
    private static final int LANGUAGE_LEVEL_PROCESSOR = 3;

    private final ThreadLocal<JavaParser> parsers;

    public FragmentBuilder() {
        this(FragmentBuilder::newParser);
    }

    /** For tests: parsers from {@code newParser} instead of {@link #newParser()}. */
    FragmentBuilder(Supplier<JavaParser> newParser) {
        this.parsers = ThreadLocal.withInitial(newParser);
    }

    /**
     * The parser configuration every builder uses.
     *
     * <p>Comments are not attributed to nodes: we emit no comments or Javadoc yet, and attributing them costs more
     * than the rest of the parse. Tokens are stored although we read none: JavaParser derives every node's line range
     * from its tokens, and without them types and members would have no {@code line} and problems no line either.
     */
    public static JavaParser newParser() {
        ParserConfiguration configuration = new ParserConfiguration()
            .setLanguageLevel(LANGUAGE_LEVEL)
            .setAttributeComments(false)
            .setStoreTokens(true);
        // The language level's processor runs its post-processing (`var` becomes a VarType) and then its validators,
        // some forty checks that each walk the whole tree again: 13% of the parser threads' time on java.base (a JFR
        // profile of `scan`, docs/benchmarks.md "Stop 21"). They only add problems to code the grammar accepts (a
        // modifier where the language does not allow it, say), which the compiler reports better, and change no
        // node. So the post-processing alone replaces it; the language level still tells the grammar what it
        // accepts (`yield`). JavaParser 3.28 adds that processor fourth; FragmentBuilderRobustnessTest checks both
        // halves.
        // The post-processing itself walks the whole tree (findAll) for `var` types, 6% of the parser threads' time
        // on java.base again; it changes nothing in a file without the identifier `var`, which 3,147 of its 3,400
        // files are, and a walk over the tokens tells that for much less.
        configuration.getProcessors().set(LANGUAGE_LEVEL_PROCESSOR, () -> new Processor() {
            @Override
            public void postProcess(ParseResult<? extends Node> result, ParserConfiguration config) {
                if (result.getResult().flatMap(Node::getTokenRange).map(FragmentBuilder::namesVar).orElse(true)) {
                    POST_PROCESSOR.postProcess(result, config);
                }
            }
        });
        return new JavaParser(configuration);
    }

    /**
     * Whether one of the tokens is the identifier {@code var}, the only thing the post-processing changes ({@code var}
     * as a local variable's type becomes a {@code VarType}). Its name is compared as the post-processing compares
     * it; a comment or a literal is one token of its own, never one that reads {@code var}.
     */
    static boolean namesVar(TokenRange tokens) {
        for (JavaToken token : tokens) {
            if ("var".equals(token.getText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param scanId  the scan the file belongs to
     * @param repo    the repository name
     * @param path    the file's path relative to the repository root, with {@code /} separators
     * @param sha256  hex SHA-256 of {@code content}, carried into the File node
     * @param version the file's publication version, carried into the fragment and the File node
     * @param content the file's bytes: UTF-8 (with or without a byte order mark), else read as ISO-8859-1
     * @return the file's fragment; never null, never a tombstone
     */
    public GraphFragment build(String scanId, String repo, String path, String sha256, long version, byte[] content) {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(content, "content");

        String fileId = NodeIds.file(repo, path);
        SourceText source = SourceText.decode(content);
        List<ParseProblem> problems = new ArrayList<>();
        if (source.decodedAsLatin1()) {
            problems.add(ParseProblems.of("The file is not valid UTF-8; it was read as ISO-8859-1", 0));
        }
        Declarations declarations = parse(source.text(), repo, path, fileId);
        problems.addAll(declarations.problems());

        GraphNode file = new GraphNode(GraphVocabulary.FILE, fileId, List.of(), Map.of(
            "repo", repo,
            "path", path,
            "sha256", sha256,
            "version", version,
            "loc", SourceText.lineCount(content),
            "parseErrors", (long) problems.size()),
            /* shared= */ false);
        List<GraphNode> nodes = new ArrayList<>(declarations.nodes().size() + 1);
        nodes.add(file);
        nodes.addAll(declarations.nodes());
        return new GraphFragment(scanId, repo, path, sha256, version, fileId, VERSION, nodes,
            declarations.relationships(), problems, declarations.references(), declarations.calls());
    }

    /** Parses and collects; whatever goes wrong becomes a problem of a fragment with the File node alone. */
    private Declarations parse(String text, String repo, String path, String fileId) {
        try {
            ParseResult<CompilationUnit> result = parsers.get().parse(text);
            // With syntax errors JavaParser may still return the declarations it recovered: keep them.
            Declarations declarations = result.getResult()
                .map(unit -> DeclarationCollector.collect(unit, repo, path, fileId))
                .orElse(Declarations.NONE);
            List<ParseProblem> problems = new ArrayList<>();
            result.getProblems().forEach(problem -> problems.add(ParseProblems.of(problem)));
            problems.addAll(declarations.problems());
            return new Declarations(declarations.nodes(), declarations.relationships(), declarations.references(),
                declarations.calls(), problems);
        } catch (StackOverflowError tooDeep) {
            // Deeply nested expressions recurse in the generated parser; the stack has unwound to here, so going on
            // is safe. The aborted parse may have left this thread's parser half reset: drop it.
            parsers.remove();
            return failed(ParseProblems.of("StackOverflowError: nesting too deep", 0));
        } catch (RuntimeException unexpected) {
            parsers.remove();
            return failed(ParseProblems.of(unexpected));
        }
    }

    private static Declarations failed(ParseProblem problem) {
        return new Declarations(List.of(), List.of(), List.of(), List.of(), List.of(problem));
    }
}
