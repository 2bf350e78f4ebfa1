package io.ast2graph.parser;

import com.github.javaparser.Problem;
import io.ast2graph.common.model.ParseProblem;

/** Makes {@link ParseProblem}s short enough to travel in every fragment and to read in a report. */
final class ParseProblems {
    /** JavaParser lists every token it expected; the first 500 characters tell a reader what went wrong. */
    static final int MAX_MESSAGE_LENGTH = 500;

    private ParseProblems() {}

    /** The first line of {@code message}, cut to {@link #MAX_MESSAGE_LENGTH} characters. */
    static ParseProblem of(String message, int line) {
        String firstLine = message.lines().findFirst().orElse("").strip();
        if (firstLine.length() > MAX_MESSAGE_LENGTH) {
            firstLine = firstLine.substring(0, MAX_MESSAGE_LENGTH);
        }
        return new ParseProblem(firstLine, line);
    }

    static ParseProblem of(Problem problem) {
        int line = problem.getLocation()
            .flatMap(tokens -> tokens.getBegin().getRange())
            .map(range -> range.begin.line)
            .orElse(0);
        return of(problem.getMessage(), line);
    }

    /** A problem for a throwable that stopped the parse; the top frame says where, since no stack trace travels. */
    static ParseProblem of(Throwable failure) {
        StackTraceElement[] stack = failure.getStackTrace();
        String where = stack.length == 0 ? "" : " at " + stack[0];
        return of(failure.getClass().getSimpleName() + ": " + failure.getMessage() + where, 0);
    }
}
