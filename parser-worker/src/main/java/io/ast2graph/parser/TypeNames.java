package io.ast2graph.parser;

import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Spells types the way member ids and {@code type} properties need them: as written in the source, with generic
 * arguments and annotations dropped and whitespace removed ({@code java.util.@NonNull Map.Entry<K, V>[]} becomes
 * {@code java.util.Map.Entry[]}).
 *
 * <p>Names are not resolved: {@code List} and {@code java.util.List} stay different strings, and a type variable
 * {@code T} stays {@code T} rather than becoming its bound as javac's erasure would. Resolving needs the whole
 * classpath, which one file does not have.
 */
final class TypeNames {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TypeNames() {}

    static String erased(Type type) {
        return switch (type) {
            case ClassOrInterfaceType classType ->
                classType.getScope().map(scope -> erased(scope) + ".").orElse("") + classType.getNameAsString();
            case ArrayType arrayType -> erased(arrayType.getComponentType()) + "[]";
            case PrimitiveType primitive -> primitive.asString();
            // void, var, and types that cannot declare a member (union, intersection, wildcard): printed as is.
            default -> WHITESPACE.matcher(type.asString()).replaceAll("");
        };
    }

    /** A varargs parameter {@code T... xs} is the array {@code T[]}, as in the method's descriptor. */
    static String erased(Parameter parameter) {
        String type = erased(parameter.getType());
        return parameter.isVarArgs() ? type + "[]" : type;
    }

    static List<String> erasedParameterTypes(NodeList<Parameter> parameters) {
        return parameters.stream().map(TypeNames::erased).toList();
    }
}
