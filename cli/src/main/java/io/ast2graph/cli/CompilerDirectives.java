package io.ast2graph.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leaves the parser's code to HotSpot's C1 compiler in this JVM: JavaParser's generated parser has some of the
 * largest methods the JIT ever sees, and C2 spent 13 s of compiler-thread time on them during a {@code scan} of
 * java.base (JFR's {@code jdk.Compilation} events, compilations over 100 ms), a third of the two cores' time while the
 * files were parsed, for code that parsed at most a tenth faster once compiled. Measured on java.base's 3,400 files, two parser
 * threads, three passes in one JVM (C2 / C1 for the parser): first pass 13.7–15.2 s / 7.2–10.0 s, third pass 5.6–6.2 s
 * / 4.7–7.2 s (a noisy afternoon; docs/benchmarks.md, "Stop 23").
 *
 * <p>For the embedded default's scan, a process that parses and is gone, not for the long-running workers, which
 * amortize the compilation. The directives are added at run time through the JVM's diagnostic command
 * ({@code Compiler.directives_add}, what {@code jcmd} calls), so the launcher needs no diagnostic VM flag and the JVM
 * prints nothing; a JVM without the command keeps its defaults. The directives are in {@value #RESOURCE}, beside this
 * class, without comments: HotSpot's directives parser refused the file with ours.
 */
final class CompilerDirectives {
    private static final Logger log = LoggerFactory.getLogger(CompilerDirectives.class);
    private static final String RESOURCE = "scan-compiler-directives.json";

    /** Added once per JVM: each call would push another copy onto HotSpot's directive stack (tests scan many times). */
    private static final AtomicBoolean ADDED = new AtomicBoolean();

    private CompilerDirectives() {}

    /**
     * Adds the directives before the parsers start; on any failure the JIT keeps its defaults (slower, not wrong).
     *
     * @return whether they were added
     */
    static boolean parserOnC1() {
        if (ADDED.getAndSet(true)) {
            return true;
        }
        Path file = null;
        try (InputStream directives = CompilerDirectives.class.getResourceAsStream(RESOURCE)) {
            if (directives == null) {
                throw new IOException("no resource " + RESOURCE);
            }
            file = Files.createTempFile("ast2graph-compiler-directives", ".json");
            Files.write(file, directives.readAllBytes());
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            String reply = String.valueOf(out).strip();
            log.debug("compiler directives: {}", reply);
            boolean added = reply.endsWith("added") && !reply.startsWith("0 ");
            ADDED.set(added);
            return added;
        } catch (IOException | JMException | RuntimeException e) {
            log.debug("compiler directives not added ({}); the JIT keeps its defaults", e.toString());
            ADDED.set(false);
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.debug("cannot remove {}: {}", file, e.toString());
                }
            }
        }
    }
}
