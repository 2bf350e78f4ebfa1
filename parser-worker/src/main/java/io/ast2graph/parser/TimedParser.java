package io.ast2graph.parser;

import io.ast2graph.common.kafka.FatalWorkerException;
import io.ast2graph.common.model.GraphFragment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Builds fragments with a time limit per file, so one pathological file cannot stall a parser thread.
 *
 * <p>JavaParser does not answer interrupts, so a parse that runs over its time is abandoned: its thread finishes on
 * its own (it is a daemon) and the next file gets a fresh thread. Abandoned parses still burn CPU, so their number
 * is bounded: past {@code maxRunaways} still running, the worker stops with a {@link FatalWorkerException} (and is
 * restarted by its supervisor) rather than pile them up. One instance per consume loop; not thread-safe.
 */
public final class TimedParser implements AutoCloseable {
    /** A file that took longer than the limit to parse; the file goes to the dead-letter topic. */
    public static final class ParseTimeoutException extends Exception {
        public ParseTimeoutException(String message) {
            super(message);
        }
    }

    private final FragmentBuilder builder;
    private final Duration timeout;
    private final int maxRunaways;
    private final List<Thread> runaways = new ArrayList<>();
    private Thread worker;
    private ExecutorService executor;

    public TimedParser(FragmentBuilder builder, Duration timeout, int maxRunaways) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--parse-timeout must be positive, was " + timeout);
        }
        this.builder = builder;
        this.timeout = timeout;
        this.maxRunaways = maxRunaways;
        this.executor = newExecutor();
    }

    private ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(task -> {
            worker = Thread.ofPlatform().daemon().name("parse-" + Thread.currentThread().getName()).unstarted(task);
            return worker;
        });
    }

    public GraphFragment build(String scanId, String repo, String path, String sha256, long version, byte[] content)
        throws ParseTimeoutException, InterruptedException {
        Future<GraphFragment> parse = executor.submit(() -> builder.build(scanId, repo, path, sha256, version, content));
        try {
            return parse.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            parse.cancel(true);
            executor.shutdownNow();
            runaways.add(worker);
            executor = newExecutor();
            runaways.removeIf(thread -> !thread.isAlive());
            if (runaways.size() > maxRunaways) {
                throw new FatalWorkerException(runaways.size() + " abandoned parses are still running (the last: " + path
                    + "); stopping this worker instead of piling them up", null);
            }
            throw new ParseTimeoutException(path + " took longer than " + timeout.toSeconds() + " s to parse ("
                + content.length + " bytes); raise --parse-timeout if such files are expected");
        } catch (ExecutionException e) {
            // build() turns every parser failure into a problem on the fragment; what arrives here is an Error.
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("unexpected failure building " + path, e.getCause());
        }
    }

    /** Abandoned parses that are still running. */
    public int runaways() {
        runaways.removeIf(thread -> !thread.isAlive());
        return runaways.size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
