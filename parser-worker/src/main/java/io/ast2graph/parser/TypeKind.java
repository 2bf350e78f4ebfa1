package io.ast2graph.parser;

import com.github.javaparser.ast.body.AnnotationDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;

/** The kind of a declared type; its {@link #label()} is the extra label of the Type node. */
enum TypeKind {
    CLASS("Class"),
    INTERFACE("Interface"),
    ENUM("Enum"),
    RECORD("Record"),
    ANNOTATION("Annotation");

    private final String label;

    TypeKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** Interfaces and annotation types: their members are implicitly public, their fields static final. */
    boolean isInterfaceLike() {
        return this == INTERFACE || this == ANNOTATION;
    }

    static TypeKind of(TypeDeclaration<?> declaration) {
        return switch (declaration) {
            case ClassOrInterfaceDeclaration type -> type.isInterface() ? INTERFACE : CLASS;
            case EnumDeclaration ignored -> ENUM;
            case RecordDeclaration ignored -> RECORD;
            case AnnotationDeclaration ignored -> ANNOTATION;
            default -> throw new IllegalArgumentException(
                "Unknown kind of type declaration: " + declaration.getClass().getName());
        };
    }
}
