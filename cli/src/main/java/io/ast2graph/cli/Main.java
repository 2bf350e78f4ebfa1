package io.ast2graph.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ast2graph} command. */
@Command(name = "ast2graph", mixinStandardHelpOptions = true, version = "ast2graph 0.1.0",
    description = "Turns Java source trees into a code graph in Neo4j, through Kafka.",
    subcommands = {ScanCommand.class, StatusCommand.class, QueryCommand.class, ServeCommand.class,
        WorkerCommands.Parser.class, WorkerCommands.Writer.class, ReplayCommand.class, RebuildCommand.class,
        DlqCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        String logFormat = System.getenv("AST2GRAPH_LOG_FORMAT");
        if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
            // logback-<format>.xml does not exist, so logback dropped every log line: say so rather than run silent.
            System.err.println("ast2graph: AST2GRAPH_LOG_FORMAT must be 'text' or 'json', was '" + logFormat + "'");
            return 1;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        return new CommandLine(new Main())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                // A user error (bad flag value, missing folder) gets its message; anything else also its stack trace.
                commandLine.getErr().println("ast2graph: " + error.getMessage());
                if (!(error instanceof IllegalArgumentException)) {
                    error.printStackTrace(commandLine.getErr());
                }
                return 1;
            })
            .execute(args);
    }
}
