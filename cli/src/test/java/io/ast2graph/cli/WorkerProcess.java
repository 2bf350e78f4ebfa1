package io.ast2graph.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One ast2graph worker as a separate OS process, started from the test JVM's class path with the launcher's JVM
 * flags and configured through the environment, as in a container. Output goes to a log file the test can read.
 */
final class WorkerProcess implements AutoCloseable {
    /** The launcher's flags (see ./ast2graph), with a small heap: workers share two cores with the test JVM. */
    static List<String> jvmFlags(String xmx) {
        return List.of("-Xmx" + xmx, "-XX:-DontCompileHugeMethods", "-XX:+UseSerialGC",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");
    }

    final String name;
    final Process process;
    final Path log;

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param command e.g. {@code parser-worker} with its flags
     * @param env     environment on top of this JVM's (AST2GRAPH_*, NEO4J_*)
     */
    static WorkerProcess start(String name, String xmx, List<String> command, Map<String, String> env, Path logDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags(xmx));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(command);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HOSTNAME", name);
        // Several workers on one machine: no fixed metrics port.
        builder.environment().put("AST2GRAPH_METRICS_PORT", "0");
        builder.environment().putAll(env);
        try {
            return new WorkerProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker process " + name, e);
        }
    }

    /** {@code kill -9}: no shutdown hook, no flush, no commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; true if the process exited within {@code bound}. */
    boolean terminate(Duration bound) throws InterruptedException {
        process.destroy();
        return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
