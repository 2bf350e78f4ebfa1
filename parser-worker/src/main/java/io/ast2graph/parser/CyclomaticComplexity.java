package io.ast2graph.parser;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CompactConstructorDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.CatchClause;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.WhileStmt;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * McCabe's cyclomatic complexity of a method or constructor body, counted as Checkstyle and PMD count it: 1, plus one
 * for each {@code if}, {@code for}, enhanced {@code for}, {@code while}, {@code do}, {@code catch}, ternary
 * {@code ?:}, {@code &&} and {@code ||}, and one for each {@code case} label of a switch (statement or expression;
 * {@code case A, B ->} counts two, {@code default} none). Lambdas count towards the method that contains them, as
 * the call graph attributes their calls; the methods of local and anonymous classes are methods of their own and do
 * not count.
 *
 * <p>The walk is iterative: a generated file's expression may nest deeper than the stack allows recursion.
 */
final class CyclomaticComplexity {
    private CyclomaticComplexity() {}

    /** A callable's body; null for one without (abstract, native, annotation member). */
    static BlockStmt body(Node declaration) {
        return switch (declaration) {
            case MethodDeclaration method -> method.getBody().orElse(null);
            case ConstructorDeclaration constructor -> constructor.getBody();
            case CompactConstructorDeclaration constructor -> constructor.getBody();
            default -> null;
        };
    }

    /**
     * The complexity of a body, walked on its own. The call collector counts the same while it walks the bodies
     * ({@link CallCollector#complexities()}), which saves a walk; this one is for the bodies it did not walk.
     */
    static long count(Node body) {
        long complexity = 1;
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(body);
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            complexity += decisions(node);
            for (Node child : node.getChildNodes()) {
                if (!(child instanceof BodyDeclaration<?>)) { // a local or anonymous class's members
                    pending.push(child);
                }
            }
        }
        return complexity;
    }

    /** The decisions the node itself adds: what {@link CallCollector}'s walk counts too. */
    static int decisions(Node node) {
        return switch (node) {
            case IfStmt ignored -> 1;
            case ForStmt ignored -> 1;
            case ForEachStmt ignored -> 1;
            case WhileStmt ignored -> 1;
            case DoStmt ignored -> 1;
            case CatchClause ignored -> 1;
            case ConditionalExpr ignored -> 1;
            case BinaryExpr binary -> binary.getOperator() == BinaryExpr.Operator.AND
                || binary.getOperator() == BinaryExpr.Operator.OR ? 1 : 0;
            case SwitchEntry entry -> entry.getLabels().size(); // default has no label
            default -> 0;
        };
    }
}
