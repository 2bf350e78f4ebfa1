package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.parser.ParserConfig;
import io.ast2graph.parser.ParserWorker;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline as it runs distributed: a real broker and a real Neo4j, parser and writer workers started as in
 * production, and {@code ast2graph scan --bootstrap-servers ...} publishing a small tree of real Java files and
 * waiting for the writers. Asserts the exact graph.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScanEndToEndIT {
    private static final String PREFIX = "e2e";
    @TempDir
    static Path repoDir;
    static KafkaSettings kafka;
    static Neo4jSettings neo4j;
    static WorkerGroup parsers;
    static WorkerGroup writers;
    static Neo4jGraphWriter graph;

    @BeforeAll
    static void startWorkers() throws Exception {
        SampleRepo.copyTo(repoDir);
        kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
        Topics topics = Topics.withPrefix(PREFIX);
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
        }
        var metrics = new SimpleMeterRegistry();
        writers = WriterWorker.start(new WriterConfig(kafka, topics, neo4j, "e2e-writer", "consumer", 2, 1000,
            16L << 20, Duration.ofMillis(50), Duration.ofSeconds(10), "e2e"), Clock.systemUTC(), metrics);
        parsers = ParserWorker.start(new ParserConfig(kafka, topics, "e2e-parser", "classic", 2,
            Optional.of(repoDir), 4L << 20, 8, ParserConfig.DEFAULT_PARSE_TIMEOUT, "e2e"), Clock.systemUTC(), metrics);
        graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(10)), "");
        graph.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
    }

    @AfterAll
    static void stopWorkers() throws InterruptedException {
        if (parsers != null) parsers.stop(Duration.ofSeconds(30));
        if (writers != null) writers.stop(Duration.ofSeconds(30));
        if (graph != null) graph.close();
    }

    private static ScanResult scan(String... extra) {
        var out = new ByteArrayOutputStream();
        var command = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .setCaseInsensitiveEnumValuesAllowed(true);
        String[] base = {"--bootstrap-servers", kafka.bootstrapServers(), "--neo4j-uri", neo4j.uri(),
            "--topic-prefix", PREFIX, "--no-progress", "--timeout", "120", "--repo", "sample"};
        String[] args = new String[base.length + extra.length + 1];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        args[args.length - 1] = repoDir.toString();
        int exit = command.execute(args);
        return new ScanResult(exit, out.toString(StandardCharsets.UTF_8));
    }

    record ScanResult(int exit, String output) {}

    private static List<String> column(String cypher) {
        return graph.read(cypher, Map.of()).stream().map(r -> String.valueOf(r.values().iterator().next())).toList();
    }

    @Test
    @Order(1)
    void scanWritesTheExactGraphOfTheTree() {
        ScanResult result = scan("--mode", "REFERENCE");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("5 published, 5 written, 1 with parse problems, 0 failed");

        assertThat(column("MATCH (f:File) RETURN f.path + ' errors=' + f.parseErrors ORDER BY f.path")).containsExactly(
            "src/main/java/com/example/shop/Order.java errors=0",
            "src/main/java/com/example/shop/Repository.java errors=0",
            "src/main/java/com/example/shop/Status.java errors=0",
            "src/main/java/com/example/util/Audited.java errors=0",
            "src/main/java/com/example/util/Broken.java errors=1");

        assertThat(column("""
            MATCH (t:Type) WHERE t.external IS NULL AND NOT t.binaryName STARTS WITH 'com.example.util.Broken'
            RETURN t.binaryName + ' ' + [l IN labels(t) WHERE l <> 'Type'][0] + ' ' + t.fqn AS line ORDER BY line"""))
            .containsExactly(
                "com.example.shop.Order Class com.example.shop.Order",
                "com.example.shop.Order$Audit Class com.example.shop.Order.Audit",
                "com.example.shop.Order$Audit$Entry Class com.example.shop.Order.Audit.Entry",
                "com.example.shop.Order$Line Record com.example.shop.Order.Line",
                "com.example.shop.Repository Interface com.example.shop.Repository",
                "com.example.shop.Repository$Table Annotation com.example.shop.Repository.Table",
                "com.example.shop.Status Enum com.example.shop.Status",
                "com.example.util.Audited Annotation com.example.util.Audited");

        // With the members the language declares implicitly (javac compiles them into the classes): the default
        // constructors of Audit and Entry, the record Line's accessors, equals, hashCode and toString (its canonical
        // constructor is declared), the enum's values() and valueOf(String).
        assertThat(column("""
            MATCH (t:Type)-[:DECLARES]->(m:Method) WHERE t.binaryName STARTS WITH 'com.example.shop'
            RETURN t.binaryName + '#' + m.signature + (CASE WHEN m:Constructor THEN ' ctor' ELSE '' END)
                + (CASE WHEN m.implicit THEN ' implicit' ELSE '' END) AS line
            ORDER BY line"""))
            .containsExactly(
                "com.example.shop.Order#<init>(String,List) ctor",
                "com.example.shop.Order#add(Line)",
                "com.example.shop.Order#add(Map,String[])",
                "com.example.shop.Order#add(String,int)",
                "com.example.shop.Order#compareTo(Order)",
                "com.example.shop.Order#id()",
                "com.example.shop.Order#total()",
                "com.example.shop.Order$Audit#<init>() ctor implicit",
                "com.example.shop.Order$Audit#log(String)",
                "com.example.shop.Order$Audit$Entry#<init>() ctor implicit",
                "com.example.shop.Order$Line#<init>(String,long) ctor",
                "com.example.shop.Order$Line#amount() implicit",
                "com.example.shop.Order$Line#equals(Object) implicit",
                "com.example.shop.Order$Line#hashCode() implicit",
                "com.example.shop.Order$Line#sku() implicit",
                "com.example.shop.Order$Line#toString() implicit",
                "com.example.shop.Repository#exists(Object)",
                "com.example.shop.Repository#find(Object)",
                "com.example.shop.Repository#save(Object)",
                "com.example.shop.Repository$Table#name()",
                "com.example.shop.Repository$Table#version()",
                "com.example.shop.Status#<init>(String) ctor",
                "com.example.shop.Status#code()",
                "com.example.shop.Status#isFinal()",
                "com.example.shop.Status#valueOf(String) implicit",
                "com.example.shop.Status#values() implicit");

        assertThat(column("""
            MATCH (t:Type)-[:DECLARES]->(f:Field) WHERE t.binaryName STARTS WITH 'com.example.shop'
            RETURN t.binaryName + '.' + f.name + (CASE WHEN f:EnumConstant THEN ' constant' ELSE '' END) AS line
            ORDER BY line"""))
            .containsExactly(
                "com.example.shop.Order$Audit$Entry.text",
                "com.example.shop.Order$Line.amount",
                "com.example.shop.Order$Line.sku",
                "com.example.shop.Order.MAX_LINES",
                "com.example.shop.Order.a",
                "com.example.shop.Order.b",
                "com.example.shop.Order.id",
                "com.example.shop.Order.lines",
                "com.example.shop.Status.CANCELLED constant",
                "com.example.shop.Status.NEW constant",
                "com.example.shop.Status.PAID constant",
                "com.example.shop.Status.code");

        // Structure: files declare top-level types, types declare member types, packages contain every type.
        assertThat(column("""
            MATCH (a)-[:DECLARES]->(t:Type) WHERE t.binaryName STARTS WITH 'com.example.shop'
            RETURN coalesce(a.binaryName, a.path) + ' -> ' + t.binaryName AS line ORDER BY line"""))
            .containsExactly(
                "com.example.shop.Order -> com.example.shop.Order$Audit",
                "com.example.shop.Order -> com.example.shop.Order$Line",
                "com.example.shop.Order$Audit -> com.example.shop.Order$Audit$Entry",
                "com.example.shop.Repository -> com.example.shop.Repository$Table",
                "src/main/java/com/example/shop/Order.java -> com.example.shop.Order",
                "src/main/java/com/example/shop/Repository.java -> com.example.shop.Repository",
                "src/main/java/com/example/shop/Status.java -> com.example.shop.Status");
        assertThat(column("MATCH (p:Package)-[:CONTAINS]->(t:Type) WHERE p.fqn = 'com.example.shop' RETURN count(t)"))
            .containsExactly("7");
        assertThat(column("MATCH (p:Package) RETURN p.fqn ORDER BY p.fqn")).containsExactly("com.example.shop", "com.example.util");

        // References, each with how it was resolved; the JDK's types are shared external nodes.
        assertThat(column("""
            MATCH (a)-[r:EXTENDS|IMPLEMENTS|ANNOTATED_BY|IMPORTS|RETURNS|THROWS]->(t:Type)
            WHERE NOT a.id CONTAINS 'Broken'
            RETURN coalesce(a.binaryName, a.path, a.signature) + ' -' + type(r) + '-> ' + t.binaryName
                + CASE WHEN t.external THEN ' (external, ' ELSE ' (' END + r.resolution + ')' AS line
            ORDER BY line"""))
            .containsExactly(
                "code() -RETURNS-> java.lang.String (external, import)",
                "com.example.shop.Order -EXTENDS-> java.lang.Object (external, exact)",
                "com.example.shop.Order -IMPLEMENTS-> java.lang.Comparable (external, import)",
                "com.example.shop.Order$Audit -EXTENDS-> java.lang.Object (external, exact)",
                "com.example.shop.Order$Audit$Entry -EXTENDS-> java.lang.Object (external, exact)",
                "com.example.shop.Order$Line -EXTENDS-> java.lang.Record (external, exact)",
                "com.example.shop.Repository$Table -EXTENDS-> java.lang.annotation.Annotation (external, exact)",
                "com.example.shop.Status -EXTENDS-> java.lang.Enum (external, exact)",
                "com.example.util.Audited -ANNOTATED_BY-> java.lang.annotation.Retention (external, import)",
                "com.example.util.Audited -EXTENDS-> java.lang.annotation.Annotation (external, exact)",
                "compareTo(Order) -ANNOTATED_BY-> java.lang.Override (external, import)",
                "find(Object) -RETURNS-> java.util.Optional (external, import)",
                "id() -RETURNS-> java.lang.String (external, import)",
                "name() -RETURNS-> java.lang.String (external, import)",
                "sku() -RETURNS-> java.lang.String (external, import)",
                "src/main/java/com/example/shop/Order.java -IMPORTS-> java.util.List (external, import)",
                "src/main/java/com/example/shop/Order.java -IMPORTS-> java.util.Map (external, import)",
                "src/main/java/com/example/shop/Repository.java -IMPORTS-> java.util.Optional (external, import)",
                "src/main/java/com/example/util/Audited.java -IMPORTS-> java.lang.annotation.Retention (external, import)",
                "src/main/java/com/example/util/Audited.java -IMPORTS-> java.lang.annotation.RetentionPolicy (external, import)",
                "toString() -RETURNS-> java.lang.String (external, exact)", // the record's implicit toString()
                "value() -RETURNS-> java.lang.String (external, import)",
                "valueOf(String) -RETURNS-> com.example.shop.Status (exact)", // the enum's implicit members
                "values() -RETURNS-> com.example.shop.Status (exact)");
        assertThat(column("""
            MATCH (t:Type {binaryName: 'com.example.shop.Order'})-[:DECLARES]->(x)-[:HAS*0..1]->(y)-[r:OF_TYPE]->(u)
            RETURN CASE WHEN x = y THEN x.name ELSE x.signature + '@' + y.index END + ' : ' + u.binaryName
                + ' (' + r.resolution + ')' AS line
            ORDER BY line"""))
            .containsExactly(
                "<init>(String,List)@0 : java.lang.String (import)",
                "<init>(String,List)@1 : java.util.List (import)",
                "add(Line)@0 : com.example.shop.Order$Line (exact)",
                "add(Map,String[])@0 : java.util.Map (import)",
                "add(Map,String[])@1 : java.lang.String (import)",
                "add(String,int)@0 : java.lang.String (import)",
                "compareTo(Order)@0 : com.example.shop.Order (exact)",
                "id : java.lang.String (import)",
                "lines : java.util.List (import)");
        assertThat(column("""
            MATCH (t:Type {binaryName: 'com.example.shop.Order'})-[r:DEPENDS_ON]->(u)
            RETURN u.binaryName AS line ORDER BY line"""))
            .containsExactly("com.example.shop.Order$Line", "java.lang.Comparable", "java.lang.Integer",
                "java.lang.Object", "java.lang.Override", "java.lang.String", "java.util.List", "java.util.Map");
    }

    @Test
    @Order(2)
    void scanningTheSameTreeAgainChangesNothing() {
        // File.version says when a file was last published; everything that describes the code must be equal.
        Set<String> ignored = GraphFingerprint.BOOKKEEPING;
        List<String> before = GraphFingerprint.lines(graph.driver(), "", ignored);
        assertThat(before).isNotEmpty();

        // --full: without it the rescan would publish nothing, since nothing changed.
        ScanResult again = scan("--mode", "INLINE", "--full");

        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("5 published, 5 written", "0 added, 5 changed, 0 deleted");
        assertThat(GraphFingerprint.lines(graph.driver(), "", ignored)).isEqualTo(before);
    }
}
