package io.ast2graph.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code ast2graph} command. */
@Command(name = "ast2graph", mixinStandardHelpOptions = true, version = "ast2graph 0.1.0",
    description = "Turns Java source trees into a code graph in Neo4j, through Kafka.",
    subcommands = {ScanCommand.class, StatusCommand.class, QueryCommand.class, ServeCommand.class,
        WorkerCommands.Parser.class, WorkerCommands.Writer.class, ReplayCommand.class, RebuildCommand.class,
        DlqCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        // First, before logging and picocli load: a scan beside a serve runs in the serve's warm JVM.
        OptionalInt handedOff = ServeClient.handOff(args);
        System.exit(handedOff.isPresent() ? handedOff.getAsInt() : run(args));
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
        return configure(new CommandLine(new Main())).execute(args);
    }

    /**
     * Runs, in this serve, a scan another ast2graph process handed to it: that command's arguments, its working folder
     * for relative paths, its environment for the options' defaults, and its standard output and error.
     */
    static int runHandedOff(Handoff.Request request, PrintStream out, PrintStream err) {
        var scan = new ScanCommand(out, ScanCommand.Caller.handedOff(request, err));
        CommandLine commandLine = configure(new CommandLine(scan))
            .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
            .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
            // The defaults' ${env:...} are the command's environment, not this serve's (EnvironmentDefaults).
            .setInterpolateVariables(false)
            .setDefaultValueProvider(new EnvironmentDefaults(request.env()))
            .registerConverter(Path.class, value -> request.cwd().resolve(value));
        try (var forwarding = ForwardedLog.to(err)) {
            return commandLine.execute(request.args().subList(1, request.args().size()).toArray(String[]::new));
        }
    }

    private static CommandLine configure(CommandLine commandLine) {
        return commandLine
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler((error, line, parseResult) -> {
                // A user error (bad flag value, missing folder) gets its message; anything else also its stack trace.
                line.getErr().println("ast2graph: " + error.getMessage());
                if (!(error instanceof IllegalArgumentException)) {
                    error.printStackTrace(line.getErr());
                }
                return 1;
            });
    }

    /**
     * Option defaults of the form {@code ${env:NAME:-fallback}} resolved against another process's environment
     * (picocli's own interpolation reads this process's). An unset variable without a fallback is the empty string:
     * with interpolation off, picocli would otherwise take the placeholder itself as the value.
     */
    static final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
        private static final Pattern VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)(?::-([^}]*))?}");
        private final Map<String, String> env;

        EnvironmentDefaults(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
            String declared = argSpec.defaultValue();
            if (declared == null || !declared.contains("${")) {
                return null;
            }
            Matcher variable = VARIABLE.matcher(declared);
            StringBuilder resolved = new StringBuilder();
            while (variable.find()) {
                String value = env.get(variable.group(1));
                if (value == null) {
                    value = variable.group(2) != null ? variable.group(2) : "";
                }
                variable.appendReplacement(resolved, Matcher.quoteReplacement(value));
            }
            variable.appendTail(resolved);
            return resolved.toString();
        }
    }
}
