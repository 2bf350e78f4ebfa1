package io.ast2graph.cli;

import io.ast2graph.writer.Neo4jGraphWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The types of the JDK's {@code java.base} sources, scanned through the whole pipeline, checked against an
 * independent oracle: the classes the same JDK compiled from them (its {@code jrt:/} image).
 *
 * <p>Rules, because sources and classes are not one-to-one: local and anonymous classes ({@code Outer$1},
 * {@code Outer$1Local}) are not in the graph yet; a class compiled from a source file in the tree must be in the
 * graph (recall), and a type the graph has from a source file that was compiled must be a class (precision). Sources
 * that are not compiled on this platform (javadoc {@code snippet-files}, other operating systems' variants) and
 * member classes jlink generates when it links the image ({@code BoundMethodHandle$Species_*},
 * {@code SystemModules$all}) fall outside both rules.
 */
class JavaBaseTypesIT {
    /**
     * Member classes that jlink generates into the image when it links the JDK (GenerateJLIClassesPlugin, the
     * SystemModules plugin): their top-level class has a source, they do not.
     */
    private static final java.util.regex.Pattern GENERATED_BY_JLINK = java.util.regex.Pattern.compile(
        "java\\.lang\\.invoke\\.BoundMethodHandle\\$Species_\\w+|jdk\\.internal\\.module\\.SystemModules\\$\\w+");
    @TempDir
    static Path tmp;
    static Path sources;
    static InJvmWorkers workers;

    @BeforeAll
    static void unzipAndStart() throws Exception {
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        assumeTrue(Files.isRegularFile(srcZip), "this JDK ships no lib/src.zip (" + srcZip + "); the oracle needs its sources");
        sources = unzipModule(srcZip, "java.base/", tmp);
        workers = InJvmWorkers.start("jdk", 2, 2, Optional.of(sources));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (workers != null) {
            workers.close();
        }
    }

    @Test
    void everyDeclaredTopLevelAndMemberTypeIsOneTypeNodeWithItsBinaryName() throws Exception {
        var out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(Arrays.asList(workers.scanArgs()));
        args.addAll(List.of("--repo", "java.base", "--mode", "REFERENCE", "--timeout", "1800", sources.toString()));
        int exit = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .setCaseInsensitiveEnumValuesAllowed(true).execute(args.toArray(String[]::new));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();

        List<String> graphTypes;
        List<String> shadowed;
        try (var graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(workers.neo4j, Duration.ofSeconds(10)), "")) {
            graphTypes = graph.read("MATCH (f:File {repo: 'java.base'})-[:DECLARES*]->(t:Type) RETURN t.binaryName AS b",
                Map.of()).stream().map(r -> (String) r.get("b")).toList();
            // A placeholder stands for a type the graph does not declare; one with a declared type's name took calls
            // of members the graph should have (before builder version 8: 495 of them, for the implicit members).
            // (Other tests of this JVM write other repos into the same database: only java.base's calls count.)
            shadowed = graph.read("MATCH (t:Type) WHERE t.id STARTS WITH 'java.base:' AND t.external IS NULL "
                + "MATCH (e:Type {fqn: t.fqn, external: true})-[:DECLARES]->(m:Method)<-[:INVOKES]-(c:Method) "
                + "WHERE c.id STARTS WITH 'java.base:' "
                + "WITH e, collect(DISTINCT m.name + '/' + m.arity) AS methods "
                + "RETURN reduce(s = e.fqn, n IN methods | s + ' ' + n) AS s ORDER BY s", Map.of())
                .stream().map(r -> (String) r.get("s")).toList();
        }
        // None takes a constructor's call or an implicit member's, nor Object's methods called on an interface
        // (78 placeholders before the call linker gave interfaces Object's public methods). What was left when
        // measured (3) are receivers the parser types less precisely than javac, mostly by an erasure: a field of
        // type T in a subclass that binds T, a type variable bounded by Object & Comparable.
        assertThat(shadowed).as("placeholder types named as a declared type, with their methods")
            .noneMatch(s -> s.contains(" <init>/") || s.contains(" values/0") || s.contains(" valueOf/1"))
            .noneMatch(s -> List.of("toString/0", "hashCode/0", "equals/1", "getClass/0").stream()
                .anyMatch(m -> s.endsWith(" " + m) || s.contains(" " + m + " ")))
            .hasSizeLessThanOrEqualTo(5);
        Set<String> classes = compiledClasses();
        Set<String> sourceTopLevels = topLevelsWithSources(sources);

        assertThat(graphTypes).as("one Type node per binary name").doesNotHaveDuplicates();
        Set<String> graph = new TreeSet<>(graphTypes);
        Set<String> missing = classes.stream().filter(c -> sourceTopLevels.contains(topLevel(c)))
            .filter(c -> !GENERATED_BY_JLINK.matcher(c).matches())
            .filter(c -> !graph.contains(c)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> invented = graph.stream().filter(t -> classes.contains(topLevel(t)))
            .filter(t -> !classes.contains(t)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> notCompiled = graph.stream().filter(t -> !classes.contains(topLevel(t)))
            .collect(Collectors.toCollection(TreeSet::new));

        assertThat(missing).as("classes compiled from the scanned sources but missing from the graph").isEmpty();
        assertThat(invented).as("graph types of compiled files that javac did not produce").isEmpty();
        assertThat(graph).contains("java.util.HashMap", "java.util.HashMap$Node", "java.util.Map$Entry",
            "java.lang.Thread$State", "java.lang.invoke.MethodHandles$Lookup$ClassOption");
        // Sources that are in src.zip but not built into java.base here: snippets for javadoc and a handful of
        // platform variants. They are a sliver; a jump would mean the comparison itself is broken.
        assertThat(notCompiled.size()).as("types from sources not compiled into java.base: %s", notCompiled)
            .isLessThan(graph.size() / 100);
        assertThat(graph.size()).isGreaterThan(6000);
    }

    private static String topLevel(String binaryName) {
        int dollar = binaryName.indexOf('$');
        return dollar < 0 ? binaryName : binaryName.substring(0, dollar);
    }

    /** The binary names of java.base's classes, without local and anonymous classes (a segment starting with a digit). */
    private static Set<String> compiledClasses() throws IOException {
        var jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Path base = jrt.getPath("/modules/java.base");
        try (Stream<Path> files = Files.walk(base)) {
            return files.map(p -> base.relativize(p).toString())
                .filter(name -> name.endsWith(".class"))
                .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                .filter(name -> !name.endsWith("module-info") && !name.endsWith("package-info"))
                .filter(name -> Arrays.stream(name.split("\\$")).skip(1)
                    .noneMatch(segment -> !segment.isEmpty() && Character.isDigit(segment.charAt(0))))
                .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Binary names of the top-level classes that have a source file in the tree (by file name). */
    private static Set<String> topLevelsWithSources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString())
                .filter(name -> name.endsWith(".java") && !name.endsWith("-info.java"))
                .map(name -> name.substring(0, name.length() - ".java".length()).replace('/', '.'))
                .collect(Collectors.toSet());
        }
    }

    static Path unzipModule(Path srcZip, String prefix, Path target) throws IOException {
        Path moduleDir = target.resolve(prefix);
        try (InputStream in = Files.newInputStream(srcZip); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
                    continue;
                }
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("zip entry escapes the target folder: " + entry.getName());
                }
                Files.createDirectories(file.getParent());
                Files.copy(zip, file);
            }
        }
        return moduleDir;
    }
}
