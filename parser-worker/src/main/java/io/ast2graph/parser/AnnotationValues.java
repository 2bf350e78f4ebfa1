package io.ast2graph.parser;

import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MemberValuePair;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import io.ast2graph.common.model.TypeReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The simple values of an annotation, as properties of its {@code ANNOTATED_BY} edge: {@code @Deprecated(since =
 * "9", forRemoval = true)} gives {@code since: "9", forRemoval: true}; the single value of {@code @Foo("x")} is
 * {@code value}.
 *
 * <p>Simple means a literal the source spells out: strings and text blocks and chars (as strings), integral numbers
 * (longs, with their sign), floating-point numbers (doubles), booleans, and names as written: an enum constant
 * ({@code RetentionPolicy.RUNTIME}, {@code RUNTIME}), a class literal ({@code String.class}), or a constant's name
 * ({@code MAX}: javac would fold in its value, which only the declaring file knows). An array of simple
 * values is a list of strings (numbers as written), since a property list holds one type. Anything else — a
 * constant's name that javac would fold ({@code MAX + 1}), a string concatenation, a nested annotation — is left
 * out: its value needs the whole program. So are an empty array (a property cannot tell its element type), a member
 * named like a key the edge keeps for itself ({@link TypeReference#EDGE_KEYS}), and one whose name is more than
 * ASCII letters, digits and {@code _}.
 */
final class AnnotationValues {
    /** The property names every store and the bulk importer take; Java allows more ({@code $}, non-ASCII letters). */
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private AnnotationValues() {}

    static Map<String, Object> of(AnnotationExpr annotation) {
        Map<String, Object> values = new TreeMap<>();
        switch (annotation) {
            case SingleMemberAnnotationExpr single -> put(values, "value", single.getMemberValue());
            case NormalAnnotationExpr normal -> {
                for (MemberValuePair pair : normal.getPairs()) {
                    put(values, pair.getNameAsString(), pair.getValue());
                }
            }
            default -> { } // a marker annotation has no values
        }
        return values;
    }

    private static void put(Map<String, Object> values, String name, Expression expression) {
        if (TypeReference.EDGE_KEYS.contains(name) || !PROPERTY_NAME.matcher(name).matches()) {
            return;
        }
        Object value = expression instanceof ArrayInitializerExpr array ? list(array) : simple(expression);
        if (value != null && !(value instanceof List<?> list && list.isEmpty())) {
            values.put(name, value);
        }
    }

    /** The array's values as strings; null when one of them is not simple. */
    private static List<String> list(ArrayInitializerExpr array) {
        List<String> values = new ArrayList<>(array.getValues().size());
        for (Expression element : array.getValues()) {
            Object value = simple(element);
            if (value == null) {
                return null;
            }
            values.add(value instanceof String string ? string : element.toString());
        }
        return values;
    }

    /** A simple value as a property value, or null. */
    private static Object simple(Expression expression) {
        try {
            return literal(expression);
        } catch (NumberFormatException outOfRange) { // 2147483648 without its minus: javac rejects it
            return null;
        }
    }

    private static Object literal(Expression expression) {
        return switch (expression) {
            case StringLiteralExpr string -> string.asString();
            case TextBlockLiteralExpr text -> text.asString();
            case CharLiteralExpr character -> String.valueOf(character.asChar());
            case BooleanLiteralExpr bool -> bool.getValue();
            case IntegerLiteralExpr integer -> integer.asNumber().longValue();
            case LongLiteralExpr longValue -> longValue.asNumber().longValue();
            case DoubleLiteralExpr floating -> floating.asDouble();
            case UnaryExpr unary when unary.getOperator() == UnaryExpr.Operator.MINUS -> negated(unary.getExpression());
            case ClassExpr classLiteral -> classLiteral.toString();
            // An enum constant, by convention upper case: a lower-case name is more likely a constant javac folds.
            case NameExpr name when isConstantName(name.getNameAsString()) -> name.getNameAsString();
            case FieldAccessExpr access when isConstantName(access.getNameAsString()) -> access.toString();
            default -> null;
        };
    }

    private static Object negated(Expression operand) {
        return switch (operand) {
            // -2147483648 and -9223372036854775808L: the literal alone does not fit, and JavaParser gives MIN_VALUE.
            case IntegerLiteralExpr integer when integer.getValue().replace("_", "").equals("2147483648") ->
                (long) Integer.MIN_VALUE;
            case LongLiteralExpr longValue
                when longValue.getValue().replace("_", "").equalsIgnoreCase("9223372036854775808L") -> Long.MIN_VALUE;
            case IntegerLiteralExpr integer -> -integer.asNumber().longValue();
            case LongLiteralExpr longValue -> -longValue.asNumber().longValue();
            case DoubleLiteralExpr floating -> -floating.asDouble();
            default -> null;
        };
    }

    private static boolean isConstantName(String name) {
        return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
    }
}
