package io.ast2graph.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child OS process whose wall time and peak resident memory are measured: the peak is the kernel's high-water mark
 * ({@code VmHWM} in {@code /proc/<pid>/status}), read every 50 ms while the process lives, so each phase of a
 * benchmark reports the memory of its own process. Output goes to a log file.
 */
final class MeasuredProcess {
    /** What a finished process left: exit code, wall time from start to exit, peak RSS, its output. */
    record Finished(String name, int exit, long nanos, long peakRssBytes, String output) {
        double seconds() {
            return nanos / 1e9;
        }

        Finished orThrow() {
            if (exit != 0) {
                throw new IllegalStateException(name + " exited with " + exit + "; its output ends:\n" + tail(output, 40));
            }
            return this;
        }
    }

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(50);

    private final String name;
    private final Process process;
    private final Path log;
    private final long start;
    private final AtomicLong peakRss = new AtomicLong();
    private final Thread sampler;

    private MeasuredProcess(String name, Process process, Path log, long start) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.start = start;
        this.sampler = Thread.ofPlatform().daemon().name("rss-" + name).start(this::sample);
    }

    /** Starts {@code command} with {@code env} on top of this process's environment, output to {@code logDir/name.log}. */
    static MeasuredProcess start(String name, List<String> command, Map<String, String> env, Path logDir) {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            long start = System.nanoTime();
            return new MeasuredProcess(name, builder.start(), log, start);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Runs {@code command} to its end. */
    static Finished run(String name, List<String> command, Map<String, String> env, Path logDir) throws InterruptedException {
        return start(name, command, env, logDir).await(Duration.ofHours(6));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the process to exit by itself; kills it after {@code bound}. */
    Finished await(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return finished();
    }

    /** SIGTERM, as Kubernetes stops a pod; {@code kill -9} if it has not exited within {@code bound}. */
    Finished stop(Duration bound) throws InterruptedException {
        process.destroy();
        return await(bound);
    }

    private Finished finished() throws InterruptedException {
        long nanos = System.nanoTime() - start;
        sampler.interrupt();
        sampler.join();
        String output;
        try {
            output = Files.readString(log);
        } catch (IOException e) {
            output = "(cannot read " + log + ": " + e.getMessage() + ")";
        }
        return new Finished(name, process.exitValue(), nanos, peakRss.get(), output);
    }

    private void sample() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        while (process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        // "VmHWM:   123456 kB"
                        long kib = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                        peakRss.accumulateAndGet(kib << 10, Math::max);
                    }
                }
                Thread.sleep(SAMPLE_EVERY);
            } catch (IOException e) {
                return; // the process exited between isAlive() and the read: its last sample stands
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
