package io.ast2graph.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.ParseProblem;
import org.junit.jupiter.api.Test;

class ParseProblemsTest {

    @Test
    void messageIsCutToItsFirstLineAndAtMost500Characters() {
        String message = "x".repeat(2_000) + "\nexpected one of ...";

        ParseProblem problem = ParseProblems.of(message, 12);

        assertThat(problem).isEqualTo(new ParseProblem("x".repeat(500), 12));
    }

    @Test
    void throwableNamesItsTypeMessageAndTopFrame() {
        IllegalArgumentException failure = new IllegalArgumentException("bad\nsecond line");

        ParseProblem problem = ParseProblems.of(failure);

        assertThat(problem.message()).isEqualTo("IllegalArgumentException: bad");
        assertThat(problem.line()).isZero();
    }
}
