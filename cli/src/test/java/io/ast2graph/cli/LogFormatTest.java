package io.ast2graph.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import io.ast2graph.common.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped logback.xml: text by default, JSON lines with AST2GRAPH_LOG_FORMAT=json, to standard error. */
class LogFormatTest {
    /** Configures a fresh logback context from the shipped file, logs one line and returns what reached stderr. */
    private static List<String> logOneLine(String format) throws Exception {
        URL config = Main.class.getResource("/logback.xml");
        assertThat(config).isNotNull();
        PrintStream stderr = System.err;
        var captured = new ByteArrayOutputStream();
        var context = new LoggerContext();
        // What SLF4J's provider sets up for the application's context; a context made by hand needs it too.
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (format != null) {
                // Logback resolves ${AST2GRAPH_LOG_FORMAT} from the context before the environment.
                context.putProperty("AST2GRAPH_LOG_FORMAT", format);
            }
            var configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            context.getLogger("io.ast2graph.cli.Test").info("scan {} complete", "s-1");
        } finally {
            context.stop();
            System.setErr(stderr);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    }

    @Test
    void textByDefault() throws Exception {
        assertThat(logOneLine(null)).singleElement().asString()
            .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+] \\S*Test - scan s-1 complete");
    }

    @Test
    void oneJsonObjectPerLineWithJson() throws Exception {
        List<String> lines = logOneLine("json");

        assertThat(lines).hasSize(1);
        JsonNode line = Json.mapper().readTree(lines.getFirst());
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("loggerName").asText()).isEqualTo("io.ast2graph.cli.Test");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("scan s-1 complete");
        assertThat(line.get("timestamp").asLong()).isPositive();
    }
}
