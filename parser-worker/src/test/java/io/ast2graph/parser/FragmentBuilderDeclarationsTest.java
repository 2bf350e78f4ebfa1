package io.ast2graph.parser;

import static io.ast2graph.parser.Fragments.REPO;
import static io.ast2graph.parser.Fragments.build;
import static io.ast2graph.parser.Fragments.node;
import static io.ast2graph.parser.Fragments.nodes;
import static io.ast2graph.parser.Fragments.properties;
import static io.ast2graph.parser.Fragments.references;
import static io.ast2graph.parser.Fragments.relationships;
import static io.ast2graph.parser.Fragments.typeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** What the graph of one well-formed file holds: the exact nodes, their key properties, the exact relationships. */
class FragmentBuilderDeclarationsTest {

    private static final String SHAPE_PATH = "src/main/java/com/example/shapes/Shape.java";
    static final String SHAPE_SOURCE = """
        package com.example.shapes;

        import java.util.List;
        import java.util.Map;

        public abstract class Shape implements Comparable<Shape> {
            public static final int SIDES = 0, CORNERS[] = {};
            protected final String name;
            private transient List<Map<String, Integer>> cache;

            protected Shape(String name) {
                this.name = name;
            }

            Shape() { this("unnamed"); }

            public abstract double area();

            @Override
            public int compareTo(Shape other) { return Double.compare(area(), other.area()); }

            static void scale(double factor) {}
            static void scale(double[] factors) {}
            static void scale(double x, double y) {}
            static void scale(List<? extends Number> factors) {}
            static void scale(Map.Entry<String, Double>... entries) {}
            static <T extends Number> void scale(T factor, java.util.@Deprecated List<T> more[]) {}

            public static class Registry {
                private final Map<String, Shape> shapes = new java.util.HashMap<>();

                final class Entry {
                    interface Visitor {
                        void visit(Entry entry);
                    }
                }
            }

            private class Outline {}

            void draw() {
                class Local {}
                Runnable r = new Runnable() { public void run() {} };
            }
        }
        """;

    private static final String SHAPE = typeId("com.example.shapes.Shape");
    private static final String REGISTRY = typeId("com.example.shapes.Shape$Registry");
    private static final String ENTRY = typeId("com.example.shapes.Shape$Registry$Entry");
    private static final String VISITOR = typeId("com.example.shapes.Shape$Registry$Entry$Visitor");
    private static final String OUTLINE = typeId("com.example.shapes.Shape$Outline");

    @Test
    void classDeclaresItsFieldsConstructorsOverloadsAndMemberTypesInDocumentOrder() {
        GraphFragment fragment = build(SHAPE_PATH, SHAPE_SOURCE);

        // No Local and no anonymous Runnable: local and anonymous classes are not emitted in this version. The classes
        // without constructors get the default constructor javac gives them, after their members and member types.
        assertThat(nodes(fragment)).containsExactly(
            "File repo:" + SHAPE_PATH,
            "Package com.example.shapes",
            "Type[Class] " + SHAPE,
            "Field " + SHAPE + "#SIDES",
            "Field " + SHAPE + "#CORNERS",
            "Field " + SHAPE + "#name",
            "Field " + SHAPE + "#cache",
            "Method[Constructor] " + SHAPE + "#<init>(String)",
            "Method[Constructor] " + SHAPE + "#<init>()",
            "Method " + SHAPE + "#area()",
            "Method " + SHAPE + "#compareTo(Shape)",
            "Method " + SHAPE + "#scale(double)",
            "Method " + SHAPE + "#scale(double[])",
            "Method " + SHAPE + "#scale(double,double)",
            "Method " + SHAPE + "#scale(List)",
            "Method " + SHAPE + "#scale(Map.Entry[])",
            "Method " + SHAPE + "#scale(Number,java.util.List[])",
            "Type[Class] " + REGISTRY,
            "Field " + REGISTRY + "#shapes",
            "Type[Class] " + ENTRY,
            "Type[Interface] " + VISITOR,
            "Method " + VISITOR + "#visit(Entry)",
            "Method[Constructor] " + ENTRY + "#<init>()",
            "Method[Constructor] " + REGISTRY + "#<init>()",
            "Type[Class] " + OUTLINE,
            "Method[Constructor] " + OUTLINE + "#<init>()",
            "Method " + SHAPE + "#draw()");
    }

    @Test
    void everyTypeIsContainedInThePackageAndDeclaredByItsFileOrEnclosingType() {
        GraphFragment fragment = build(SHAPE_PATH, SHAPE_SOURCE);

        String pkg = "com.example.shapes";
        assertThat(relationships(fragment)).containsExactly(
            "repo:" + SHAPE_PATH + " -DECLARES-> " + SHAPE,
            pkg + " -CONTAINS-> " + SHAPE,
            SHAPE + " -DECLARES-> " + SHAPE + "#SIDES",
            SHAPE + " -DECLARES-> " + SHAPE + "#CORNERS",
            SHAPE + " -DECLARES-> " + SHAPE + "#name",
            SHAPE + " -DECLARES-> " + SHAPE + "#cache",
            SHAPE + " -DECLARES-> " + SHAPE + "#<init>(String)",
            SHAPE + " -DECLARES-> " + SHAPE + "#<init>()",
            SHAPE + " -DECLARES-> " + SHAPE + "#area()",
            SHAPE + " -DECLARES-> " + SHAPE + "#compareTo(Shape)",
            SHAPE + " -DECLARES-> " + SHAPE + "#scale(double)",
            SHAPE + " -DECLARES-> " + SHAPE + "#scale(double[])",
            SHAPE + " -DECLARES-> " + SHAPE + "#scale(double,double)",
            SHAPE + " -DECLARES-> " + SHAPE + "#scale(List)",
            SHAPE + " -DECLARES-> " + SHAPE + "#scale(Map.Entry[])",
            SHAPE + " -DECLARES-> " + SHAPE + "#scale(Number,java.util.List[])",
            SHAPE + " -DECLARES-> " + REGISTRY,
            pkg + " -CONTAINS-> " + REGISTRY,
            REGISTRY + " -DECLARES-> " + REGISTRY + "#shapes",
            REGISTRY + " -DECLARES-> " + ENTRY,
            pkg + " -CONTAINS-> " + ENTRY,
            ENTRY + " -DECLARES-> " + VISITOR,
            pkg + " -CONTAINS-> " + VISITOR,
            VISITOR + " -DECLARES-> " + VISITOR + "#visit(Entry)",
            ENTRY + " -DECLARES-> " + ENTRY + "#<init>()",
            REGISTRY + " -DECLARES-> " + REGISTRY + "#<init>()",
            SHAPE + " -DECLARES-> " + OUTLINE,
            pkg + " -CONTAINS-> " + OUTLINE,
            OUTLINE + " -DECLARES-> " + OUTLINE + "#<init>()",
            SHAPE + " -DECLARES-> " + SHAPE + "#draw()");
        assertThat(fragment.relationships()).filteredOn(r -> r.type().equals("DECLARES") || r.type().equals("CONTAINS"))
            .extracting(GraphRelationship::properties).containsOnly(Map.of());
        assertThat(fragment.relationships())
            .filteredOn(relationship -> relationship.type().equals("CONTAINS"))
            .extracting(GraphRelationship::fromLabel, GraphRelationship::toLabel)
            .containsOnly(org.assertj.core.groups.Tuple.tuple("Package", "Type"));
    }

    @Test
    void typePropertiesTellNamesSourceRootAndModifiers() {
        GraphFragment fragment = build(SHAPE_PATH, SHAPE_SOURCE);

        assertThat(properties(fragment, SHAPE)).isEqualTo(Map.of(
            "fqn", "com.example.shapes.Shape",
            "binaryName", "com.example.shapes.Shape",
            "name", "Shape",
            "sourceRoot", "src/main/java",
            "visibility", "public",
            "abstract", true,
            "final", false,
            "static", false,
            "line", 6L,
            "endLine", 45L));
        assertThat(properties(fragment, ENTRY)).isEqualTo(Map.of(
            "fqn", "com.example.shapes.Shape.Registry.Entry",
            "binaryName", "com.example.shapes.Shape$Registry$Entry",
            "name", "Entry",
            "sourceRoot", "src/main/java",
            "visibility", "package",
            "abstract", false,
            "final", true,
            "static", false, // an inner class
            "line", 32L,
            "endLine", 36L));
        assertThat(properties(fragment, REGISTRY))
            .contains(entry("visibility", "public"), entry("static", true), entry("final", false));
        assertThat(properties(fragment, OUTLINE))
            .contains(entry("visibility", "private"), entry("static", false), entry("abstract", false));
        // A member interface is static even inside an inner class, and abstract.
        assertThat(properties(fragment, VISITOR)).contains(
            entry("fqn", "com.example.shapes.Shape.Registry.Entry.Visitor"),
            entry("static", true), entry("abstract", true), entry("visibility", "package"));
        assertThat(node(fragment, SHAPE).shared()).isFalse();
        assertThat(node(fragment, "com.example.shapes").shared()).isTrue();
        assertThat(properties(fragment, "com.example.shapes"))
            .isEqualTo(Map.of("fqn", "com.example.shapes", "name", "shapes"));
    }

    @Test
    void methodPropertiesTellSignatureArityAndModifiers() {
        GraphFragment fragment = build(SHAPE_PATH, SHAPE_SOURCE);

        assertThat(properties(fragment, SHAPE + "#<init>(String)")).isEqualTo(Map.of(
            "name", "<init>",
            "signature", "<init>(String)",
            "arity", 1L,
            "visibility", "protected",
            "static", false,
            "abstract", false,
            "line", 11L,
            "endLine", 13L,
            "cyclomaticComplexity", 1L));
        assertThat(properties(fragment, SHAPE + "#scale(Number,java.util.List[])")).contains(
            entry("name", "scale"), entry("signature", "scale(Number,java.util.List[])"), entry("arity", 2L),
            entry("visibility", "package"), entry("static", true), entry("abstract", false));
        assertThat(properties(fragment, SHAPE + "#scale(Map.Entry[])"))
            .contains(entry("signature", "scale(Map.Entry[])"), entry("arity", 1L));
        assertThat(properties(fragment, SHAPE + "#area()"))
            .contains(entry("abstract", true), entry("visibility", "public"), entry("arity", 0L));
        // A method's lines start at its annotations.
        assertThat(properties(fragment, SHAPE + "#compareTo(Shape)"))
            .contains(entry("line", 19L), entry("endLine", 20L), entry("abstract", false));
        assertThat(properties(fragment, SHAPE + "#<init>()")).containsEntry("visibility", "package");
        assertThat(properties(fragment, VISITOR + "#visit(Entry)"))
            .contains(entry("visibility", "public"), entry("abstract", true), entry("static", false));
    }

    @Test
    void fieldPropertiesTellErasedTypeAndModifiersPerVariable() {
        GraphFragment fragment = build(SHAPE_PATH, SHAPE_SOURCE);

        assertThat(properties(fragment, SHAPE + "#SIDES")).isEqualTo(Map.of(
            "name", "SIDES", "type", "int", "visibility", "public", "static", true, "final", true, "line", 7L));
        assertThat(properties(fragment, SHAPE + "#CORNERS")).isEqualTo(Map.of(
            "name", "CORNERS", "type", "int[]", "visibility", "public", "static", true, "final", true, "line", 7L));
        assertThat(properties(fragment, SHAPE + "#name")).isEqualTo(Map.of(
            "name", "name", "type", "String", "visibility", "protected", "static", false, "final", true,
            "line", 8L));
        assertThat(properties(fragment, SHAPE + "#cache"))
            .contains(entry("type", "List"), entry("visibility", "private"), entry("final", false));
        assertThat(properties(fragment, REGISTRY + "#shapes"))
            .contains(entry("type", "Map"), entry("visibility", "private"), entry("final", true));
    }

    @Test
    void fileNodeAndFragmentCarryTheFilesIdentity() {
        GraphFragment fragment = build(SHAPE_PATH, SHAPE_SOURCE);

        assertThat(fragment.nodes().getFirst()).isEqualTo(new GraphNode("File", "repo:" + SHAPE_PATH,
            java.util.List.of(), Map.of(
                "repo", REPO,
                "path", SHAPE_PATH,
                "sha256", Fragments.SHA,
                "version", Fragments.VERSION,
                "loc", 45L,
                "parseErrors", 0L),
            /* shared= */ false));
        assertThat(fragment.fileId()).isEqualTo("repo:" + SHAPE_PATH);
        assertThat(fragment.builderVersion()).isEqualTo(FragmentBuilder.VERSION).isEqualTo(8);
        assertThat(fragment.scanId()).isEqualTo(Fragments.SCAN);
        assertThat(fragment.version()).isEqualTo(Fragments.VERSION);
        assertThat(fragment.sha256()).isEqualTo(Fragments.SHA);
        assertThat(fragment.problems()).isEmpty();
        assertThat(fragment.isTombstone()).isFalse();
    }

    @Test
    void interfaceMembersArePublicAndItsFieldsAndMemberTypesStatic() {
        String path = "src/main/java/com/example/api/Service.java";
        GraphFragment fragment = build(path, """
            package com.example.api;

            public interface Service<T> {
                int TIMEOUT = 30;
                T call(String request) throws Exception;
                default T callTwice(String request) throws Exception { call(request); return call(request); }
                static Service<String> echo() { return r -> r; }
                private void log() {}
                abstract void reset();
                class Defaults {}
                enum Mode { SYNC, ASYNC }
            }
            """);

        String service = typeId("com.example.api.Service");
        String mode = typeId("com.example.api.Service$Mode");
        assertThat(nodes(fragment)).containsExactly(
            "File repo:" + path,
            "Package com.example.api",
            "Type[Interface] " + service,
            "Field " + service + "#TIMEOUT",
            "Method " + service + "#call(String)",
            "Method " + service + "#callTwice(String)",
            "Method " + service + "#echo()",
            "Method " + service + "#log()",
            "Method " + service + "#reset()",
            "Type[Class] " + typeId("com.example.api.Service$Defaults"),
            "Method[Constructor] " + typeId("com.example.api.Service$Defaults") + "#<init>()",
            "Type[Enum] " + mode,
            "Field[EnumConstant] " + mode + "#SYNC",
            "Field[EnumConstant] " + mode + "#ASYNC",
            "Method[Constructor] " + mode + "#<init>()",
            "Method " + mode + "#values()",
            "Method " + mode + "#valueOf(String)");
        assertThat(properties(fragment, service)).contains(
            entry("abstract", true), entry("final", false), entry("static", false), entry("visibility", "public"));
        assertThat(properties(fragment, service + "#TIMEOUT")).contains(
            entry("visibility", "public"), entry("static", true), entry("final", true), entry("type", "int"));
        assertThat(properties(fragment, service + "#call(String)"))
            .contains(entry("abstract", true), entry("visibility", "public"), entry("static", false));
        assertThat(properties(fragment, service + "#callTwice(String)"))
            .contains(entry("abstract", false), entry("visibility", "public"));
        assertThat(properties(fragment, service + "#echo()"))
            .contains(entry("abstract", false), entry("static", true), entry("visibility", "public"));
        assertThat(properties(fragment, service + "#log()"))
            .contains(entry("abstract", false), entry("visibility", "private"));
        assertThat(properties(fragment, service + "#reset()")).containsEntry("abstract", true);
        assertThat(properties(fragment, typeId("com.example.api.Service$Defaults"))).contains(
            entry("visibility", "public"), entry("static", true), entry("abstract", false));
        // A default constructor has its class's access, which in an interface is public; an enum's is private.
        assertThat(properties(fragment, typeId("com.example.api.Service$Defaults") + "#<init>()"))
            .contains(entry("visibility", "public"), entry("implicit", true));
        assertThat(properties(fragment, mode + "#<init>()"))
            .contains(entry("visibility", "private"), entry("implicit", true));
        assertThat(properties(fragment, mode)).contains(
            entry("visibility", "public"), entry("static", true), entry("final", true));
    }

    @Test
    void enumDeclaresConstantsAsFieldsButNotTheMembersOfConstantBodies() {
        String path = "src/main/java/com/example/model/Planet.java";
        GraphFragment fragment = build(path, """
            package com.example.model;

            public enum Planet {
                MERCURY(3.303e+23, 2.4397e6),
                EARTH(5.976e+24, 6.37814e6) {
                    @Override public String toString() { return "home"; }
                };

                private final double mass, radius;

                Planet(double mass, double radius) { this.mass = mass; this.radius = radius; }

                public double surfaceGravity() { return mass / (radius * radius); }

                enum Size { SMALL, LARGE }
            }
            """);

        String planet = typeId("com.example.model.Planet");
        String size = typeId("com.example.model.Planet$Size");
        assertThat(nodes(fragment)).containsExactly(
            "File repo:" + path,
            "Package com.example.model",
            "Type[Enum] " + planet,
            "Field[EnumConstant] " + planet + "#MERCURY",
            "Field[EnumConstant] " + planet + "#EARTH",
            "Field " + planet + "#mass",
            "Field " + planet + "#radius",
            "Method[Constructor] " + planet + "#<init>(double,double)",
            "Method " + planet + "#surfaceGravity()",
            "Type[Enum] " + size,
            "Field[EnumConstant] " + size + "#SMALL",
            "Field[EnumConstant] " + size + "#LARGE",
            "Method[Constructor] " + size + "#<init>()",
            "Method " + size + "#values()",
            "Method " + size + "#valueOf(String)",
            // Planet declares its constructor: only values() and valueOf(String) are implicit.
            "Method " + planet + "#values()",
            "Method " + planet + "#valueOf(String)");
        assertThat(properties(fragment, planet + "#EARTH")).isEqualTo(Map.of(
            "name", "EARTH", "type", "Planet", "visibility", "public", "static", true, "final", true, "line", 5L));
        // EARTH has a body, so javac subclasses Planet: not final. Size has none.
        assertThat(properties(fragment, planet))
            .contains(entry("final", false), entry("abstract", false), entry("static", false));
        assertThat(properties(fragment, size)).contains(
            entry("final", true), entry("static", true), entry("visibility", "package"));
        assertThat(properties(fragment, planet + "#<init>(double,double)"))
            .contains(entry("visibility", "private"), entry("arity", 2L));
        assertThat(properties(fragment, planet + "#radius"))
            .contains(entry("type", "double"), entry("visibility", "private"), entry("final", true));
        assertThat(node(fragment, planet + "#radius").extraLabels()).isEmpty();
    }

    @Test
    void recordDeclaresComponentsAsPrivateFinalFieldsAndItsCompactConstructor() {
        String path = "src/main/java/com/example/model/Point.java";
        GraphFragment fragment = build(path, """
            package com.example.model;

            import java.util.List;

            public record Point(int x, int y, List<String> tags, String... labels) {
                public static final Point ORIGIN = new Point(0, 0, List.of());

                public Point {
                    tags = List.copyOf(tags);
                }

                public Point(int x, int y) { this(x, y, List.of()); }

                static Point of(int x) { return new Point(x, x); }

                public double distance() { return Math.sqrt(x * x + y * y); }

                record Polar(double r, double theta) {}
            }
            """);

        String point = typeId("com.example.model.Point");
        String polar = typeId("com.example.model.Point$Polar");
        // The accessors, equals, hashCode and toString are implicit, after the member types; so is Polar's canonical
        // constructor, but not Point's: its compact constructor declares it.
        assertThat(nodes(fragment)).containsExactly(
            "File repo:" + path,
            "Package com.example.model",
            "Type[Record] " + point,
            "Field " + point + "#x",
            "Field " + point + "#y",
            "Field " + point + "#tags",
            "Field " + point + "#labels",
            "Field " + point + "#ORIGIN",
            "Method[Constructor] " + point + "#<init>(int,int,List,String[])",
            "Method[Constructor] " + point + "#<init>(int,int)",
            "Method " + point + "#of(int)",
            "Method " + point + "#distance()",
            "Type[Record] " + polar,
            "Field " + polar + "#r",
            "Field " + polar + "#theta",
            "Method[Constructor] " + polar + "#<init>(double,double)",
            "Method " + polar + "#r()",
            "Method " + polar + "#theta()",
            "Method " + polar + "#equals(Object)",
            "Method " + polar + "#hashCode()",
            "Method " + polar + "#toString()",
            "Method " + point + "#x()",
            "Method " + point + "#y()",
            "Method " + point + "#tags()",
            "Method " + point + "#labels()",
            "Method " + point + "#equals(Object)",
            "Method " + point + "#hashCode()",
            "Method " + point + "#toString()");
        assertThat(properties(fragment, point + "#labels")).isEqualTo(Map.of(
            "name", "labels", "type", "String[]", "visibility", "private", "static", false, "final", true,
            "line", 5L));
        assertThat(properties(fragment, point + "#<init>(int,int,List,String[])")).contains(
            entry("signature", "<init>(int,int,List,String[])"), entry("arity", 4L), entry("visibility", "public"),
            entry("line", 8L), entry("endLine", 10L));
        assertThat(properties(fragment, point + "#ORIGIN"))
            .contains(entry("type", "Point"), entry("static", true), entry("visibility", "public"));
        assertThat(properties(fragment, point + "#of(int)")).containsEntry("static", true);
        assertThat(properties(fragment, point)).contains(
            entry("final", true), entry("static", false), entry("abstract", false), entry("visibility", "public"));
        assertThat(properties(fragment, polar)).contains(
            entry("final", true), entry("static", true), entry("visibility", "package"));
    }

    @Test
    void annotationDeclaresItsMembersAsPublicAbstractMethods() {
        String path = "src/main/java/com/example/api/Endpoint.java";
        GraphFragment fragment = build(path, """
            package com.example.api;

            import java.lang.annotation.Retention;
            import java.lang.annotation.RetentionPolicy;

            @Retention(RetentionPolicy.RUNTIME)
            public @interface Endpoint {
                String value();
                String[] methods() default {"GET"};
                int timeout() default 30;
                String PREFIX = "/api";
                enum Style { REST, RPC }
            }
            """);

        String endpoint = typeId("com.example.api.Endpoint");
        String style = typeId("com.example.api.Endpoint$Style");
        assertThat(nodes(fragment)).containsExactly(
            "File repo:" + path,
            "Package com.example.api",
            "Type[Annotation] " + endpoint,
            "Method " + endpoint + "#value()",
            "Method " + endpoint + "#methods()",
            "Method " + endpoint + "#timeout()",
            "Field " + endpoint + "#PREFIX",
            "Type[Enum] " + style,
            "Field[EnumConstant] " + style + "#REST",
            "Field[EnumConstant] " + style + "#RPC",
            "Method[Constructor] " + style + "#<init>()",
            "Method " + style + "#values()",
            "Method " + style + "#valueOf(String)");
        assertThat(properties(fragment, endpoint)).contains(
            entry("abstract", true), entry("final", false), entry("visibility", "public"),
            entry("line", 6L), entry("endLine", 13L));
        assertThat(properties(fragment, endpoint + "#methods()")).isEqualTo(Map.of(
            "name", "methods", "signature", "methods()", "arity", 0L, "visibility", "public",
            "static", false, "abstract", true, "line", 9L, "endLine", 9L));
        assertThat(properties(fragment, endpoint + "#PREFIX")).contains(
            entry("type", "String"), entry("visibility", "public"), entry("static", true), entry("final", true));
        assertThat(properties(fragment, style)).contains(entry("static", true), entry("visibility", "public"));
    }

    @Test
    void defaultPackageAtTheRepositoryRootHasAnEmptyPackageAndSourceRoot() {
        GraphFragment fragment = build("Main.java", """
            class Main {
                public static void main(String[] args) {}
            }
            """);

        assertThat(nodes(fragment)).containsExactly(
            "File repo:Main.java",
            "Package ",
            "Type[Class] repo::Main",
            "Method repo::Main#main(String[])",
            "Method[Constructor] repo::Main#<init>()");
        assertThat(relationships(fragment)).containsExactly(
            "repo:Main.java -DECLARES-> repo::Main",
            " -CONTAINS-> repo::Main",
            "repo::Main -DECLARES-> repo::Main#main(String[])",
            "repo::Main -DECLARES-> repo::Main#<init>()");
        assertThat(properties(fragment, "")).isEqualTo(Map.of("fqn", "", "name", ""));
        assertThat(properties(fragment, "repo::Main")).contains(
            entry("fqn", "Main"), entry("binaryName", "Main"), entry("sourceRoot", ""),
            entry("visibility", "package"));
    }

    @Test
    void defaultPackageInAFolderHasThatFolderAsSourceRoot() {
        GraphFragment fragment = build("scripts/Tool.java", "class Tool {}");

        assertThat(nodes(fragment)).containsExactly(
            "File repo:scripts/Tool.java", "Package ", "Type[Class] repo:scripts:Tool",
            "Method[Constructor] repo:scripts:Tool#<init>()");
    }

    @Test
    void jdkStyleSourceRootKeepsModuleFolderAndBinaryNameUsesDollar() {
        GraphFragment fragment = build("java.base/java/util/HashMap.java", """
            package java.util;
            public class HashMap<K, V> {
                static class Node<K, V> {}
            }
            """);

        String node = "repo:java.base:java.util.HashMap$Node";
        assertThat(nodes(fragment)).containsExactly(
            "File repo:java.base/java/util/HashMap.java",
            "Package java.util",
            "Type[Class] repo:java.base:java.util.HashMap",
            "Type[Class] " + node,
            "Method[Constructor] " + node + "#<init>()",
            "Method[Constructor] repo:java.base:java.util.HashMap#<init>()");
        assertThat(properties(fragment, node)).contains(
            entry("fqn", "java.util.HashMap.Node"), entry("binaryName", "java.util.HashMap$Node"),
            entry("name", "Node"), entry("sourceRoot", "java.base"), entry("static", true));
        assertThat(properties(fragment, "java.util")).containsEntry("name", "util");
    }

    @Test
    void severalTopLevelTypesAreEachDeclaredByTheFile() {
        GraphFragment fragment = build("src/main/java/p/Pair.java", """
            package p;
            public class Pair {}
            interface Helper {}
            """);

        assertThat(relationships(fragment)).containsExactly(
            "repo:src/main/java/p/Pair.java -DECLARES-> " + typeId("p.Pair"),
            "p -CONTAINS-> " + typeId("p.Pair"),
            typeId("p.Pair") + " -DECLARES-> " + typeId("p.Pair") + "#<init>()",
            "repo:src/main/java/p/Pair.java -DECLARES-> " + typeId("p.Helper"),
            "p -CONTAINS-> " + typeId("p.Helper"));
        assertThat(properties(fragment, typeId("p.Helper")))
            .contains(entry("visibility", "package"), entry("static", false));
    }

    @Test
    void moduleInfoDeclaresAModuleWithItsDirectivesAndExportedPackages() {
        GraphFragment fragment = build("src/main/java/module-info.java", """
            import com.example.spi.Codec;

            open module com.example {
                requires transitive java.sql;
                requires static lombok;
                exports com.example.api;
                exports com.example.internal to com.example.test, com.example.tools;
                opens com.example.model;
                uses Codec;
                provides com.example.spi.Codec with com.example.impl.Gzip, com.example.impl.Zstd;
            }
            """);

        String module = "repo:src/main/java:module com.example";
        assertThat(nodes(fragment)).containsExactly("File repo:src/main/java/module-info.java", "Module " + module,
            "Package com.example.api", "Package com.example.internal", "Package com.example.model");
        assertThat(properties(fragment, module)).contains(
            entry("name", "com.example"), entry("open", true),
            entry("requires", java.util.List.of("transitive java.sql", "static lombok")),
            entry("uses", java.util.List.of("Codec")),
            entry("provides", java.util.List.of("com.example.spi.Codec with com.example.impl.Gzip,com.example.impl.Zstd")),
            entry("line", 3L), entry("endLine", 11L));
        assertThat(fragment.relationships()).extracting(r -> r.fromId() + " -" + r.type() + "-> " + r.toId() + " " + r.properties())
            .containsExactly(
                "repo:src/main/java/module-info.java -DECLARES-> " + module + " {}",
                module + " -EXPORTS-> com.example.api {to=[]}",
                module + " -EXPORTS-> com.example.internal {to=[com.example.test, com.example.tools]}",
                module + " -OPENS-> com.example.model {to=[]}");
        assertThat(fragment.problems()).isEmpty();
    }

    @Test
    void packageInfoIsContainedByItsPackageAndCarriesThePackageAnnotations() {
        GraphFragment fragment = build("src/main/java/com/example/api/package-info.java", """
            /** The API. */
            @Deprecated
            @javax.annotation.ParametersAreNonnullByDefault
            package com.example.api;
            """);

        String file = "repo:src/main/java/com/example/api/package-info.java";
        assertThat(nodes(fragment)).containsExactly("File " + file, "Package com.example.api");
        assertThat(fragment.relationships()).extracting(r -> r.fromId() + " -" + r.type() + "-> " + r.toId())
            .containsExactly("com.example.api -CONTAINS-> " + file);
        // The link step settles them: a type of the package itself could be named Deprecated.
        assertThat(fragment.references()).extracting(r -> r.fromId() + " -" + r.type() + "-> "
                + r.candidates().stream().map(c -> c.fqn()).toList())
            .containsExactly(
                file + " -ANNOTATED_BY-> [com.example.api.Deprecated, java.lang.Deprecated]",
                file + " -ANNOTATED_BY-> [javax.annotation.ParametersAreNonnullByDefault]");
        assertThat(fragment.problems()).isEmpty();
    }

    @Test
    void typeVariablesAreMarkedOnParametersAndGenericMethodsListTheirOwn() {
        GraphFragment fragment = build("src/main/java/p/Box.java", """
            package p;
            import java.util.List;
            class Box<T> {
                void set(T value, T[] values, List<T> list) {}
                <B extends Appendable, C> B appendTo(B out, C extra) { return out; }
            }
            """);

        String box = typeId("p.Box");
        assertThat(properties(fragment, box + "#set(Object,Object[],List)@0")).containsEntry("typeVariable", "T");
        assertThat(properties(fragment, box + "#set(Object,Object[],List)@1")).doesNotContainKey("typeVariable");
        assertThat(properties(fragment, box + "#set(Object,Object[],List)@2")).doesNotContainKey("typeVariable");
        assertThat(properties(fragment, box + "#set(Object,Object[],List)")).doesNotContainKey("typeParameters");
        assertThat(properties(fragment, box + "#appendTo(Appendable,Object)"))
            .containsEntry("typeParameters", List.of("B", "C"));
        assertThat(properties(fragment, box + "#appendTo(Appendable,Object)@0")).containsEntry("typeVariable", "B");
    }

    @Test
    void methodsCarryTheirCyclomaticComplexity() {
        GraphFragment fragment = build("src/main/java/p/Flow.java", """
            package p;
            abstract class Flow {
                abstract void none();
                void straight() { int a = 1; a++; }
                int branches(int x, boolean b, boolean c) {
                    if (x > 0 && b || c) { return 1; }          // if, &&, ||
                    for (int i = 0; i < x; i++) { }              // for
                    for (int i : new int[0]) { }                 // foreach
                    while (b) { b = false; }                     // while
                    do { x--; } while (x > 10);                  // do
                    try { x++; } catch (RuntimeException e) { x = 0; } catch (Error e) { x = 1; }  // 2 catches
                    int y = b ? 1 : 2;                           // ?:
                    switch (x) { case 1, 2 -> y++; case 3 -> y--; default -> y = 0; }  // 3 labels
                    Runnable r = () -> { if (c) { } };           // if inside a lambda counts
                    Object o = new Object() { public String toString() { return c ? "a" : "b"; } };  // not counted
                    return y;
                }
                Flow() { if (Math.random() > 0.5) { } }
            }
            """);

        String flow = typeId("p.Flow");
        assertThat(properties(fragment, flow + "#none()")).doesNotContainKey("cyclomaticComplexity");
        assertThat(properties(fragment, flow + "#straight()")).contains(entry("cyclomaticComplexity", 1L));
        assertThat(properties(fragment, flow + "#branches(int,boolean,boolean)"))
            .contains(entry("cyclomaticComplexity", 15L));
        assertThat(properties(fragment, flow + "#<init>()")).contains(entry("cyclomaticComplexity", 2L));
    }

    @Test
    void compactSourceFileDeclaresAClassNamedAfterTheFile() {
        GraphFragment fragment = build("src/main/java/Hello.java", """
            int count = 0;

            void main() {
                IO.println("hi " + count);
            }

            class Greeter {}
            """);

        String hello = typeId("Hello");
        assertThat(nodes(fragment)).containsExactly(
            "File repo:src/main/java/Hello.java",
            "Package ",
            "Type[Class] " + hello,
            "Field " + hello + "#count",
            "Method " + hello + "#main()",
            "Type[Class] " + typeId("Hello$Greeter"),
            "Method[Constructor] " + typeId("Hello$Greeter") + "#<init>()",
            // javac gives the implicitly declared class its default constructor too (package access, as the class).
            "Method[Constructor] " + hello + "#<init>()");
        assertThat(properties(fragment, hello)).contains(
            entry("fqn", "Hello"), entry("name", "Hello"), entry("final", true), entry("static", false));
        assertThat(properties(fragment, hello + "#<init>()")).contains(
            entry("visibility", "package"), entry("implicit", true), entry("line", 1L));
        assertThat(fragment.problems()).isEmpty();
    }

    @Test
    void canonicalConstructorOrEqualsDeclaredWithQualifiedTypesIsNotDuplicatedByAnImplicitOne() {
        GraphFragment fragment = build("src/main/java/p/Named.java", """
            package p;
            import java.util.List;
            record Named(List<String> names, String label) {
                Named(java.util.List<String> names, java.lang.String label) { this.names = names; this.label = label; }
                public boolean equals(java.lang.Object other) { return other == this; }
            }
            """);

        String named = typeId("p.Named");
        // javac compiles one canonical constructor and one equals(Object) into Named: the declared ones, however
        // their parameter types are written.
        assertThat(fragment.nodes()).filteredOn(node -> node.properties().containsKey("implicit"))
            .extracting(GraphNode::id)
            .containsExactly(named + "#names()", named + "#label()", named + "#hashCode()", named + "#toString()");
        assertThat(nodes(fragment)).filteredOn(node -> node.contains("#<init>(") || node.contains("#equals(")).hasSize(2);
    }

    @Test
    void implicitlyDeclaredMembersAreNodesMarkedImplicit() {
        String path = "src/main/java/p/Widget.java";
        GraphFragment fragment = build(path, """
            package p;

            import java.util.List;

            public class Widget {
                private static class Part {}
                static class Sized {
                    Sized(int size) {}
                }
                enum Color { RED, GREEN }
                enum Level {
                    LOW(1), HIGH(2);
                    Level(int weight) {}
                }
                record Point(int x, int y) {}
                record Tagged(String name,
                              List<String> tags) {
                    Tagged {
                        tags = List.copyOf(tags);
                    }
                    public String name() { return name; }
                }
                record Pair(int left, int right) {
                    Pair(int left, int right) { this.left = left; this.right = right; }
                }
            }
            """);

        String widget = typeId("p.Widget");
        String part = typeId("p.Widget$Part");
        String sized = typeId("p.Widget$Sized");
        String color = typeId("p.Widget$Color");
        String level = typeId("p.Widget$Level");
        String point = typeId("p.Widget$Point");
        String tagged = typeId("p.Widget$Tagged");
        String pair = typeId("p.Widget$Pair");
        // The members javac compiles into each class, after the type's declared members and its member types.
        assertThat(nodes(fragment)).containsExactly(
            "File repo:" + path,
            "Package p",
            "Type[Class] " + widget,
            "Type[Class] " + part,
            "Method[Constructor] " + part + "#<init>()",
            "Type[Class] " + sized,
            "Method[Constructor] " + sized + "#<init>(int)",
            "Type[Enum] " + color,
            "Field[EnumConstant] " + color + "#RED",
            "Field[EnumConstant] " + color + "#GREEN",
            "Method[Constructor] " + color + "#<init>()",
            "Method " + color + "#values()",
            "Method " + color + "#valueOf(String)",
            "Type[Enum] " + level,
            "Field[EnumConstant] " + level + "#LOW",
            "Field[EnumConstant] " + level + "#HIGH",
            "Method[Constructor] " + level + "#<init>(int)",
            "Method " + level + "#values()",
            "Method " + level + "#valueOf(String)",
            "Type[Record] " + point,
            "Field " + point + "#x",
            "Field " + point + "#y",
            "Method[Constructor] " + point + "#<init>(int,int)",
            "Method " + point + "#x()",
            "Method " + point + "#y()",
            "Method " + point + "#equals(Object)",
            "Method " + point + "#hashCode()",
            "Method " + point + "#toString()",
            "Type[Record] " + tagged,
            "Field " + tagged + "#name",
            "Field " + tagged + "#tags",
            "Method[Constructor] " + tagged + "#<init>(String,List)",
            "Method " + tagged + "#name()",
            "Method " + tagged + "#tags()",
            "Method " + tagged + "#equals(Object)",
            "Method " + tagged + "#hashCode()",
            "Method " + tagged + "#toString()",
            "Type[Record] " + pair,
            "Field " + pair + "#left",
            "Field " + pair + "#right",
            "Method[Constructor] " + pair + "#<init>(int,int)",
            "Method " + pair + "#left()",
            "Method " + pair + "#right()",
            "Method " + pair + "#equals(Object)",
            "Method " + pair + "#hashCode()",
            "Method " + pair + "#toString()",
            "Method[Constructor] " + widget + "#<init>()");
        // Declared members carry no implicit property, not even false: Sized's and Level's constructors, Tagged's
        // compact constructor (the canonical one) and its name(), Pair's explicit canonical constructor.
        assertThat(fragment.nodes()).filteredOn(node -> node.properties().containsKey("implicit"))
            .allSatisfy(node -> assertThat(node.properties()).containsEntry("implicit", true))
            .extracting(GraphNode::id).containsExactly(
                part + "#<init>()",
                color + "#<init>()", color + "#values()", color + "#valueOf(String)",
                level + "#values()", level + "#valueOf(String)",
                point + "#<init>(int,int)", point + "#x()", point + "#y()",
                point + "#equals(Object)", point + "#hashCode()", point + "#toString()",
                tagged + "#tags()", tagged + "#equals(Object)", tagged + "#hashCode()", tagged + "#toString()",
                pair + "#left()", pair + "#right()", pair + "#equals(Object)", pair + "#hashCode()", pair + "#toString()",
                widget + "#<init>()");

        // A default constructor has its class's access and stands on the class's line.
        assertThat(properties(fragment, widget + "#<init>()")).isEqualTo(Map.of(
            "name", "<init>", "signature", "<init>()", "arity", 0L, "visibility", "public", "static", false,
            "abstract", false, "implicit", true, "line", 5L, "endLine", 5L, "cyclomaticComplexity", 1L));
        assertThat(node(fragment, widget + "#<init>()").extraLabels()).containsExactly("Constructor");
        assertThat(properties(fragment, part + "#<init>()")).contains(entry("visibility", "private"), entry("line", 6L));

        // An enum's is private; values() and valueOf(String name) are public static and return the enum.
        assertThat(properties(fragment, color + "#<init>()")).contains(entry("visibility", "private"), entry("line", 10L));
        assertThat(properties(fragment, color + "#values()")).isEqualTo(Map.of(
            "name", "values", "signature", "values()", "arity", 0L, "visibility", "public", "static", true,
            "abstract", false, "implicit", true, "line", 10L, "endLine", 10L, "cyclomaticComplexity", 1L));
        assertThat(properties(fragment, color + "#valueOf(String)")).contains(
            entry("arity", 1L), entry("visibility", "public"), entry("static", true), entry("line", 10L));
        assertThat(properties(fragment, color + "#valueOf(String)@0")).isEqualTo(Map.of("index", 0L, "name", "name"));
        assertThat(references(fragment)).filteredOn(line -> line.startsWith(color + "#")).containsExactly(
            color + "#RED -OF_TYPE-> " + color + " (exact)",
            color + "#GREEN -OF_TYPE-> " + color + " (exact)",
            color + "#values() -RETURNS-> " + color + " (exact)",
            color + "#valueOf(String) -RETURNS-> " + color + " (exact)",
            color + "#valueOf(String)@0 -OF_TYPE-> [exact java.lang.String!?]");

        // A record's canonical constructor has the record's access and the components as parameters; its accessors
        // are public, on their component's line, and return the component's type.
        assertThat(properties(fragment, point + "#<init>(int,int)")).contains(
            entry("visibility", "package"), entry("arity", 2L), entry("line", 15L));
        assertThat(properties(fragment, point + "#<init>(int,int)@0")).isEqualTo(Map.of("index", 0L, "name", "x"));
        assertThat(properties(fragment, point + "#<init>(int,int)@1")).isEqualTo(Map.of("index", 1L, "name", "y"));
        assertThat(properties(fragment, point + "#x()")).isEqualTo(Map.of(
            "name", "x", "signature", "x()", "arity", 0L, "visibility", "public", "static", false,
            "abstract", false, "implicit", true, "line", 15L, "endLine", 15L, "cyclomaticComplexity", 1L));
        assertThat(properties(fragment, point + "#equals(Object)")).contains(
            entry("arity", 1L), entry("visibility", "public"), entry("static", false));
        assertThat(references(fragment)).filteredOn(line -> line.startsWith(point + "#")).containsExactly(
            // x() and y() return int: no type
            point + "#equals(Object)@0 -OF_TYPE-> [exact java.lang.Object!?]",
            point + "#toString() -RETURNS-> [exact java.lang.String!?]");
        assertThat(properties(fragment, tagged + "#tags()")).contains(entry("implicit", true), entry("line", 17L));
        assertThat(references(fragment)).contains(tagged + "#tags() -RETURNS-> [import java.util.List!?]");
        assertThat(properties(fragment, tagged + "#<init>(String,List)")).containsEntry("line", 18L);
        assertThat(fragment.problems()).isEmpty();
    }
}
