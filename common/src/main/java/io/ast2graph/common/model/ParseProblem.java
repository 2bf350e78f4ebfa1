package io.ast2graph.common.model;

/** A problem the parser found in a file; {@code line} is 0 when the parser could not place it. */
public record ParseProblem(String message, int line) {}
