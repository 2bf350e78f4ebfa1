package io.ast2graph.parser;

import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;

import com.github.javaparser.ast.type.TypeParameter;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Spells types the way member ids and {@code type} properties need them: as written in the source, with generic
 * arguments and annotations dropped and whitespace removed ({@code java.util.@NonNull Map.Entry<K, V>[]} becomes
 * {@code java.util.Map.Entry[]}).
 *
 * <p>Names are not resolved: {@code List} and {@code java.util.List} stay different strings. Resolving needs the whole
 * classpath, which one file does not have. In method signatures a type variable becomes the erasure of its first
 * bound ({@code Object} without one), as in javac's descriptors, so that overloads on differently bounded type
 * variables ({@code <T extends List<?>> f(T)} and {@code <T extends Map<?, ?>> f(T)}) stay distinct.
 */
final class TypeNames {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TypeNames() {}

    static String erased(Type type) {
        return erased(type, Map.of());
    }

    /** @param typeVariables the type variables in scope, each with its erasure */
    static String erased(Type type, Map<String, String> typeVariables) {
        return switch (type) {
            case ClassOrInterfaceType classType when classType.getScope().isEmpty()
                && typeVariables.containsKey(classType.getNameAsString()) ->
                typeVariables.get(classType.getNameAsString());
            case ClassOrInterfaceType classType ->
                classType.getScope().map(scope -> erased(scope) + ".").orElse("") + classType.getNameAsString();
            case ArrayType arrayType -> erased(arrayType.getComponentType(), typeVariables) + "[]";
            case PrimitiveType primitive -> primitive.asString();
            // void, var, and types that cannot declare a member (union, intersection, wildcard): printed as is.
            default -> WHITESPACE.matcher(type.asString()).replaceAll("");
        };
    }

    /** A varargs parameter {@code T... xs} is the array {@code T[]}, as in the method's descriptor. */
    static String erased(Parameter parameter) {
        return erased(parameter, Map.of());
    }

    static String erased(Parameter parameter, Map<String, String> typeVariables) {
        String type = erased(parameter.getType(), typeVariables);
        return parameter.isVarArgs() ? type + "[]" : type;
    }

    static List<String> erasedParameterTypes(NodeList<Parameter> parameters, Map<String, String> typeVariables) {
        return parameters.stream().map(parameter -> erased(parameter, typeVariables)).toList();
    }

    /** Adds each type parameter with the erasure of its first bound, {@code Object} without one. */
    static Map<String, String> withTypeParameters(Map<String, String> typeVariables,
                                                  List<TypeParameter> typeParameters) {
        if (typeParameters.isEmpty()) {
            return typeVariables;
        }
        Map<String, String> variables = new java.util.HashMap<>(typeVariables);
        // A type parameter may be bounded by another one declared after it (<T extends U, U>): its erasure is U's.
        typeParameters.forEach(parameter -> variables.put(parameter.getNameAsString(), "Object"));
        // Bounds may chain through each other; as many passes as parameters settle every chain (cycles are invalid).
        for (int pass = 0; pass < typeParameters.size(); pass++) {
            for (TypeParameter parameter : typeParameters) {
                if (parameter.getTypeBound().isNonEmpty()) {
                    variables.put(parameter.getNameAsString(),
                        erased(parameter.getTypeBound().getFirst().orElseThrow(), variables));
                }
            }
        }
        return Map.copyOf(variables);
    }
}
