package io.ast2graph.cli;

import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class CompilerDirectivesTest {

    @Test
    void theParsersCodeIsLeftToC1InThisJvm() throws Exception {
        assertThat(CompilerDirectives.parserOnC1()).as("the directives parse and the JVM takes them").isTrue();
        try {
            String printed = diagnostic("compilerDirectivesPrint");
            assertThat(printed).contains("com/github/javaparser/*.*", "io/ast2graph/parser/*.*");
            assertThat(CompilerDirectives.parserOnC1()).isTrue();
            assertThat(diagnostic("compilerDirectivesPrint")).as("added once per JVM").isEqualTo(printed);
        } finally {
            diagnostic("compilerDirectivesRemove"); // the one on top of the stack: ours
        }
    }

    private static String diagnostic(String command) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), command, new Object[] {new String[0]},
            new String[] {String[].class.getName()}));
    }
}
