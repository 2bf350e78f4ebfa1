package io.ast2graph.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command lines of a benchmark's child processes: this benchmark in another JVM (one phase each, so each phase's
 * memory is its own), and the real {@code ./ast2graph} launcher, as a user runs it.
 */
final class ChildCommands {
    private final Path home;
    private final String xmx;
    private final String launcherOptions;

    /**
     * @param xmx the heap of every child JVM, e.g. {@code 4g} (the launcher's default)
     */
    ChildCommands(String xmx) {
        this(xmx, "");
    }

    /**
     * @param launcherOptions more JVM options for the launcher's processes, after the heap, e.g.
     *                        {@code -XX:NativeMemoryTracking=summary}
     */
    ChildCommands(String xmx, String launcherOptions) {
        if (!xmx.matches("\\d+[kKmMgG]")) {
            throw new IllegalArgumentException("--xmx must be a size such as 512m or 4g, was '" + xmx + "'");
        }
        String property = System.getProperty("ast2graph.home");
        if (property == null) {
            throw new IllegalStateException("run the benchmarks with ./bench/run: it tells them where ./ast2graph is (-Dast2graph.home)");
        }
        this.home = Path.of(property);
        if (!Files.isExecutable(home.resolve("ast2graph"))) {
            throw new IllegalStateException("no executable launcher at " + home.resolve("ast2graph"));
        }
        this.xmx = xmx;
        this.launcherOptions = launcherOptions.strip();
    }

    String xmx() {
        return xmx;
    }

    /** This benchmark's main class in a new JVM with this JVM's flags, but the heap set to {@link #xmx()}. */
    List<String> bench(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-Xmx")) command.add(flag);
        }
        command.add("-Xmx" + xmx);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Bench.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** {@code ./ast2graph ARGS}; its JVM's heap goes in {@link #launcherEnv()}. */
    List<String> ast2graph(String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("ast2graph").toString());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The launcher's JVM options: the launcher's own, with the heap set to {@link #xmx()}; and no rebuild, which
     * {@code bench/run} did before it started: sources edited while a benchmark runs must not rebuild the jars under it.
     */
    Map<String, String> launcherEnv() {
        // No class-data-sharing archive either: the run that writes one is slower than the runs that map it, and
        // a benchmark's runs must be alike.
        Map<String, String> env = new HashMap<>(launcherEnvWithCaches());
        env.put("AST2GRAPH_NO_CDS", "1");
        return Map.copyOf(env);
    }

    /**
     * {@link #launcherEnv()}, but with the launcher's class-data archives and ahead-of-time cache, as a user's runs
     * have them: for runs after one that trained the cache ({@link #aotCache()}).
     */
    Map<String, String> launcherEnvWithCaches() {
        return Map.of("AST2GRAPH_JAVA_OPTS", ("-Xmx" + xmx + " " + launcherOptions).strip(), "AST2GRAPH_NO_REBUILD", "1");
    }

    /** The launcher's ahead-of-time cache of {@code scan} (JDK 25+), written by a scan's first run after a build. */
    Path aotCache() {
        return home.resolve("cli/target/aot/scan.aot");
    }
}
