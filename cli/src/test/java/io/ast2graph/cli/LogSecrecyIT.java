package io.ast2graph.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.parser.ParserConfig;
import io.ast2graph.parser.ParserWorker;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No log line carries a credential or a file's content: scans, with every ast2graph logger at DEBUG and the libraries
 * at INFO, a file whose text holds a marker (in a comment, a string and the token a syntax error names) with content
 * inline in the messages, a Neo4j password and a Kafka JAAS password; then searches every captured log line.
 */
class LogSecrecyIT {
    private static final String PREFIX = "log-secrecy";
    private static final String CONTENT_MARKER = "Zq9Xw7Kv3Marker";
    private static final String NEO4J_PASSWORD = "Pw8Jt2Lm4Secret";
    private static final String KAFKA_PASSWORD = "Kp3Hs6Nd1Secret";

    @TempDir
    Path repo;

    @Test
    void noCredentialOrFileContentReachesTheLogs() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/Leak.java"), """
            package p;
            // %1$s in a comment
            class Leak {
                String inString = "%1$s";
                int broken = %1$s %1$s;
            }
            """.formatted(CONTENT_MARKER));

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = context.getLogger("io.ast2graph");
        Logger progress = context.getLogger("ast2graph");
        Level rootLevel = root.getLevel();
        Level oursLevel = ours.getLevel();
        Level progressLevel = progress.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.INFO);
        ours.setLevel(Level.DEBUG);
        progress.setLevel(Level.DEBUG);
        var out = new ByteArrayOutputStream();
        int exit;
        try {
            var kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
            var neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
            Topics topics = Topics.withPrefix(PREFIX);
            try (Admin admin = Admin.create(kafka.base())) {
                TopicSetup.ensureTopics(admin, topics, 2, (short) 1);
            }
            var metrics = new SimpleMeterRegistry();
            WorkerGroup writers = WriterWorker.start(WriterConfig.defaults(kafka, topics, neo4j, 1, "secrecy"),
                Clock.systemUTC(), metrics);
            // A threshold every parse exceeds: the slow-file line, which names the file, is among the captured lines.
            WorkerGroup parsers = ParserWorker.start(new ParserConfig(kafka, topics, ParserConfig.DEFAULT_GROUP + "-secrecy",
                "consumer", 1, Optional.empty(), 1 << 20, 8, ParserConfig.DEFAULT_PARSE_TIMEOUT, "secrecy", Duration.ofNanos(1)), Clock.systemUTC(), metrics);
            try {
                exit = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
                    .setCaseInsensitiveEnumValuesAllowed(true)
                    .execute("--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", PREFIX,
                        "--kafka-property", "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                            + "required username=\"u\" password=\"" + KAFKA_PASSWORD + "\";",
                        "--neo4j-uri", neo4j.uri(), "--neo4j-user", "neo4j", "--neo4j-password", NEO4J_PASSWORD,
                        "--mode", "INLINE", "--no-progress", "--timeout", "120", "--repo", "leaky", repo.toString());
            } finally {
                parsers.stop(Duration.ofSeconds(30));
                writers.stop(Duration.ofSeconds(30));
            }
        } finally {
            root.detachAppender(captured);
            root.setLevel(rootLevel);
            ours.setLevel(oursLevel);
            progress.setLevel(progressLevel);
        }

        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = captured.list.stream().map(event -> event.getLoggerName() + " " + event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage())).toList();
        assertThat(lines).as("the capture works: the parser logged the slow file by its path")
            .anyMatch(line -> line.contains("slow file: leaky:src/Leak.java"));
        assertThat(lines).hasSizeGreaterThan(5)
            .noneMatch(line -> line.contains(CONTENT_MARKER))
            .noneMatch(line -> line.contains(NEO4J_PASSWORD))
            .noneMatch(line -> line.contains(KAFKA_PASSWORD));
    }
}
