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
    static final String PARAMETER = "Parameter";
    static final String MODULE = "Module";

    static final String CONSTRUCTOR = "Constructor";
    static final String ENUM_CONSTANT = "EnumConstant";

    static final String DECLARES = "DECLARES";
    static final String CONTAINS = "CONTAINS";
    static final String HAS = "HAS";
    /** A module's exported and opened packages ({@code to}: the friend modules of a qualified directive). */
    static final String EXPORTS = "EXPORTS";
    static final String OPENS = "OPENS";

    // Type references: each carries a resolution ('exact', 'import', 'package', 'inferred').
    static final String EXTENDS = "EXTENDS";
    static final String IMPLEMENTS = "IMPLEMENTS";
    static final String OF_TYPE = "OF_TYPE";
    static final String RETURNS = "RETURNS";
    static final String THROWS = "THROWS";
    static final String ANNOTATED_BY = "ANNOTATED_BY";
    static final String IMPORTS = "IMPORTS";
    static final String DEPENDS_ON = "DEPENDS_ON";

    /** A method's call of another: {@code line} and {@code resolution} ('exact' when settled in the file). */
    static final String INVOKES = "INVOKES";
}
