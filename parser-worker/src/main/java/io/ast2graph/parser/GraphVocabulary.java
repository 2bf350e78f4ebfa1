package io.ast2graph.parser;

/**
 * The labels and relationship types of the code graph, taken from jQAssistant's Java plugin so that its queries and
 * concepts read our graph without translation.
 */
final class GraphVocabulary {
    private GraphVocabulary() {}

    static final String FILE = "File";
    static final String PACKAGE = "Package";
    static final String TYPE = "Type";
    static final String METHOD = "Method";
    static final String FIELD = "Field";

    static final String CONSTRUCTOR = "Constructor";
    static final String ENUM_CONSTANT = "EnumConstant";

    static final String DECLARES = "DECLARES";
    static final String CONTAINS = "CONTAINS";
}
