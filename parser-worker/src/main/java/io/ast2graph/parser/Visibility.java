package io.ast2graph.parser;

import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.nodeTypes.NodeWithModifiers;

/** Access of a declaration, as the {@code visibility} property spells it (jQAssistant's values). */
enum Visibility {
    PUBLIC("public"),
    PROTECTED("protected"),
    PACKAGE("package"),
    PRIVATE("private");

    private final String value;

    Visibility(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    /**
     * The access the declaration's modifiers give it, or {@code implicit} when it has none: the language makes
     * interface members public and enum constructors private without a keyword.
     */
    static Visibility of(NodeWithModifiers<?> declaration, Visibility implicit) {
        if (declaration.hasModifier(Modifier.Keyword.PUBLIC)) {
            return PUBLIC;
        }
        if (declaration.hasModifier(Modifier.Keyword.PROTECTED)) {
            return PROTECTED;
        }
        if (declaration.hasModifier(Modifier.Keyword.PRIVATE)) {
            return PRIVATE;
        }
        return implicit;
    }
}
