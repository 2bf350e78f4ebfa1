package io.ast2graph.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class CompilerDirectivesTest {

    @ParameterizedTest
    @CsvSource({
        CompilerDirectives.PARSER + ", com/github/javaparser/*.*",
        CompilerDirectives.PARSER + ", io/ast2graph/parser/*.*",
        CompilerDirectives.BULK_LOAD + ", *.*"})
    void theDirectivesParseAndTheJvmTakesThem(String resource, String match) throws Exception {
        assertThat(CompilerDirectives.add(resource)).isTrue();
        try {
            assertThat(diagnostic("compilerDirectivesPrint")).contains(match);
        } finally {
            diagnostic("compilerDirectivesRemove"); // the one on top of the stack: ours
        }
    }

    @org.junit.jupiter.api.Test
    void aMissingResourceLeavesTheJitAsItIs() {
        assertThat(CompilerDirectives.add("no-such-directives.json")).isFalse();
    }

    private static String diagnostic(String command) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), command, new Object[] {new String[0]},
            new String[] {String[].class.getName()}));
    }
}
