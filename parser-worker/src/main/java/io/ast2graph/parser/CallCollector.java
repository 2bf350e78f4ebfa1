package io.ast2graph.parser;

import static io.ast2graph.parser.GraphVocabulary.INVOKES;
import static io.ast2graph.parser.GraphVocabulary.METHOD;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.Name;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.SimpleName;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.SuperExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.TypePatternExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.CatchClause;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.SwitchStmt;
import com.github.javaparser.ast.expr.SwitchExpr;
import com.github.javaparser.ast.stmt.TryStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.UnknownType;
import com.github.javaparser.ast.type.VarType;
import com.github.javaparser.ast.visitor.VoidVisitorAdapter;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.ParseProblem;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The method calls of one compilation unit ({@code INVOKES}): for every method and constructor body, each call with
 * the static type javac would name in its invoke instruction (the <em>owner</em>), found without a symbol solver by
 * a small local typer. A call whose target the file declares becomes a relationship; any other call becomes a
 * {@link MethodReference} for the writer's link step. A call whose receiver type cannot be told is left out:
 * precision comes first.
 *
 * <p>What is typed: parameters, local variables (declared types, and {@code var} when the initializer's type is
 * known), catch parameters, for-each variables, pattern variables, try resources, lambda parameters with declared
 * types; fields (and enum constants) of the file's types; {@code this}, {@code Outer.this}, {@code super}; string
 * literals, {@code new T()}, casts, parenthesised expressions, {@code Foo.class}, array elements; a type name as
 * receiver (a static call); and the results of calls to the file's own methods (their declared return type) and to
 * the JDK's public methods and fields ({@link JdkMembers}). A type variable is erased to its bound where it is in
 * scope; a call's result typed by a type variable is unknown.
 *
 * <p>Calls in lambdas belong to the enclosing method; local and anonymous class bodies are skipped (their classes
 * are no nodes yet), as are method references (invokedynamic) and static initializers (no {@code <clinit>} node).
 * Instance initializers and instance field initializers count for every constructor that does not start with
 * {@code this(...)}, where javac copies them. A constructor without an explicit {@code this(...)} or
 * {@code super(...)} calls its superclass's no-argument constructor.
 *
 * <p>One pass per body: calls are handled after their receiver and arguments, whose types are then known. One instance
 * per compilation unit; not thread-safe.
 */
final class CallCollector {
    static final String CONSTRUCTOR_NAME = "<init>";

    /** Methods every type has from Object: an unqualified call to one names the innermost type (JLS §15.12.1). */
    private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString", "getClass", "notify",
        "notifyAll", "wait", "clone", "finalize");

    /** Object's final methods without parameters: no type overrides or overloads them with that arity. */
    private static final Set<String> FINAL_OBJECT_METHODS = Set.of("getClass", "notify", "notifyAll", "wait");

    private final NameResolver resolver;
    private final JdkMembers jdk;
    private final String origin;
    private final Map<String, TypeEntry> types = new LinkedHashMap<>();
    /** Simple name → types a single static import imports it from; then the types imported on demand. */
    private final Map<String, List<TypeInfo>> staticImports = new HashMap<>();
    private final List<TypeInfo> staticOnDemand = new ArrayList<>();
    private final TypeInfo string;
    private final TypeInfo classType;
    private final TypeInfo object;
    private final TypeInfo iterator;

    private final List<GraphRelationship> relationships = new ArrayList<>();
    /** The in-file edges ({@code fromId, targetId}) and calls ({@link CallKey}) emitted so far. */
    private final Set<Object> emitted = new HashSet<>();
    private final List<MethodReference> calls = new ArrayList<>();
    private final List<ParseProblem> problems = new ArrayList<>();
    /** The cyclomatic complexity of each callable whose body was walked, by node id. */
    private final Map<String, Long> complexities = new HashMap<>();

    CallCollector(NameResolver resolver, JdkMembers jdk, String origin) {
        this.resolver = resolver;
        this.jdk = jdk;
        this.origin = origin;
        this.string = named("java.lang.String");
        this.classType = named("java.lang.Class");
        this.object = named("java.lang.Object");
        this.iterator = named("java.util.Iterator");
        for (NameResolver.StaticImport imported : resolver.staticImports()) {
            if (imported.onDemand()) {
                staticOnDemand.add(named(imported.type()));
            } else {
                staticImports.computeIfAbsent(imported.member(), m -> new ArrayList<>()).add(named(imported.type()));
            }
        }
    }

    // ---- what the declarations tell (called by DeclarationCollector while it walks the file) ----

    /**
     * A type of the file whose members calls may target.
     *
     * @param enclosing     canonical names of the type and the types around it, innermost first
     * @param typeVariables the type variables in scope in its body, each with its erasure
     * @param superclass    the superclass as written (Object, Enum, Record when implied), null for interfaces
     * @param hasSupertypes whether it may inherit members other than Object's
     */
    TypeEntry type(String fqn, TypeKind kind, List<String> enclosing, Map<String, String> typeVariables,
                   NameResolver.Resolved superclass, boolean hasSupertypes) {
        TypeInfo self = new TypeInfo(fqn.substring(fqn.lastIndexOf('.') + 1),
            resolver.ofCanonicalName(fqn, Resolution.EXACT), null);
        TypeInfo superType = superclass == null ? null : new TypeInfo(simpleName(superclass), superclass, null);
        TypeEntry entry = new TypeEntry(fqn, kind, enclosing, typeVariables, self, superType, hasSupertypes);
        types.putIfAbsent(fqn, entry);
        return entry;
    }

    TypeEntry entry(String fqn) {
        return types.get(fqn);
    }

    /**
     * A method or constructor whose node is {@code id}.
     *
     * @param returnType    the declared return type; null for a constructor
     * @param parameters    its parameters (a compact constructor's are the record components)
     * @param body          its body, null when it has none
     * @param typeVariables the type variables in scope in it, its own included
     */
    void callable(TypeEntry owner, String id, String name, List<String> parameterTypes, NodeList<Parameter> parameters,
                  Type returnType, BlockStmt body, Map<String, String> typeVariables, long line) {
        if (owner == null) {
            return; // a member of a type that was not registered: only its own calls are lost
        }
        boolean varArgs = !parameters.isEmpty() && parameters.getLast().orElseThrow().isVarArgs();
        Callable callable = new Callable(id, name, parameterTypes, varArgs, returnType, typeVariables, owner,
            parameters, body, line);
        owner.callables.add(callable);
        if (name.equals(CONSTRUCTOR_NAME)) {
            owner.constructors.add(callable);
        } else {
            owner.methods.computeIfAbsent(name, n -> new ArrayList<>()).add(callable);
        }
    }

    void field(TypeEntry owner, String name, Type type) {
        if (owner != null) {
            owner.fields.putIfAbsent(name, new FieldInfo(type, owner));
        }
    }

    void enumConstant(TypeEntry owner, String name) {
        if (owner != null) {
            owner.fields.putIfAbsent(name, new FieldInfo(null, owner));
        }
    }

    /** An instance initializer block or instance field initializer: javac copies it into constructors. */
    void instanceInitializer(TypeEntry owner, Node initializer) {
        if (owner != null) {
            owner.initializers.add(initializer);
        }
    }

    // ---- the walk ----

    /** Walks every body of the file's types; a body that fails becomes a problem, and the others go on. */
    void collect() {
        for (TypeEntry type : types.values()) {
            for (Callable callable : type.callables) {
                if (callable.body() != null) {
                    walk(List.of(callable.id()), type, callable, callable.body());
                }
            }
            if (!type.initializers.isEmpty()) {
                List<String> constructors = type.constructors.stream()
                    .filter(c -> !startsWithThis(c)).map(Callable::id).toList();
                if (!constructors.isEmpty()) {
                    for (Node initializer : type.initializers) {
                        walk(constructors, type, null, initializer);
                    }
                }
            }
        }
    }

    List<GraphRelationship> relationships() {
        return relationships;
    }

    List<MethodReference> calls() {
        return calls;
    }

    List<ParseProblem> problems() {
        return problems;
    }

    /**
     * The cyclomatic complexity of each method and constructor whose body {@link #collect} walked without failing,
     * by node id ({@link CyclomaticComplexity} says how it is counted).
     */
    Map<String, Long> complexities() {
        return complexities;
    }

    private void walk(List<String> fromIds, TypeEntry type, Callable callable, Node body) {
        try {
            BodyWalker walker = new BodyWalker(fromIds, type,
                callable == null ? type.typeVariables : callable.typeVariables());
            if (callable != null) {
                for (Parameter parameter : callable.parameters()) {
                    walker.declare(parameter.getNameAsString(), walker.value(walker.parameterType(parameter)));
                }
                if (callable.name().equals(CONSTRUCTOR_NAME) && !startsWithExplicitInvocation(callable)) {
                    walker.implicitSuper(callable.line());
                }
            }
            body.accept(walker, null);
            if (callable != null) {
                complexities.put(callable.id(), 1L + walker.decisions);
            }
        } catch (RuntimeException | StackOverflowError failure) {
            // The declarations stay; only this body's calls are lost, and the problem says where.
            String where = callable != null ? callable.id() : "the initializers of " + type.fqn;
            ParseProblem problem = ParseProblems.of(failure);
            problems.add(ParseProblems.of("Calls of " + where + " not collected: " + problem.message(),
                (int) line(body)));
        }
    }

    private static boolean startsWithExplicitInvocation(Callable constructor) {
        return constructor.body() != null && constructor.body().getStatements().getFirst()
            .filter(statement -> statement instanceof ExplicitConstructorInvocationStmt).isPresent();
    }

    private static boolean startsWithThis(Callable constructor) {
        return constructor.body() != null && constructor.body().getStatements().getFirst()
            .filter(statement -> statement instanceof ExplicitConstructorInvocationStmt invocation
                && invocation.isThis()).isPresent();
    }

    // ---- types ----

    /**
     * A static type: a class or interface ({@code resolved} set: it can receive calls), a primitive, an array
     * ({@code component} set) or the null type.
     *
     * @param simpleName the erased simple name, as a call's argument type: {@code String}, {@code int},
     *                   {@code Object[]}
     */
    record TypeInfo(String simpleName, NameResolver.Resolved resolved, TypeInfo component) {
        boolean isReceiver() {
            return resolved != null;
        }

        String localFqn() {
            return resolved instanceof NameResolver.Resolved.Local local ? local.fqn() : null;
        }

        static TypeInfo arrayOf(TypeInfo component) {
            return new TypeInfo(component.simpleName() + "[]", null, component);
        }
    }

    private static final TypeInfo NULL = new TypeInfo("", null, null);
    private static final TypeInfo BOOLEAN = new TypeInfo("boolean", null, null);
    private static final TypeInfo INT = new TypeInfo("int", null, null);

    /** What an expression is to the typer: a value of a type, a type's name, a package's name, or unknown. */
    private sealed interface Typed {}

    private record Value(TypeInfo type) implements Typed {}

    private record TypeName(TypeInfo type, List<String> segments) implements Typed {}

    private record PackageName(List<String> segments) implements Typed {}

    private record Unknown() implements Typed {}

    private static final Typed UNKNOWN = new Unknown();

    private TypeInfo named(String fqn) {
        return new TypeInfo(fqn.substring(fqn.lastIndexOf('.') + 1), resolver.ofCanonicalName(fqn, Resolution.EXACT),
            null);
    }

    private static String simpleName(NameResolver.Resolved resolved) {
        String fqn = switch (resolved) {
            case NameResolver.Resolved.Local local -> local.fqn();
            case NameResolver.Resolved.Linked linked -> linked.candidates().getFirst().fqn();
        };
        return fqn.substring(fqn.lastIndexOf('.') + 1);
    }

    /**
     * The type as written where it stands; null for {@code var}, a type variable when {@code eraseTypeVariables} is
     * false, a local class, or a type that cannot be spelt in one name (union, intersection).
     */
    private TypeInfo resolveType(Type type, List<String> enclosing, Map<String, String> typeVariables,
                                 boolean eraseTypeVariables, Set<String> localTypes) {
        return switch (type) {
            case PrimitiveType primitive -> new TypeInfo(primitive.asString(), null, null);
            case ArrayType array -> {
                TypeInfo component = resolveType(array.getComponentType(), enclosing, typeVariables,
                    eraseTypeVariables, localTypes);
                yield component == null ? null : TypeInfo.arrayOf(component);
            }
            case ClassOrInterfaceType classType -> {
                String name = classType.getNameAsString();
                if (classType.getScope().isEmpty()) {
                    if (typeVariables.containsKey(name)) {
                        yield eraseTypeVariables ? erasure(typeVariables.get(name), enclosing) : null;
                    }
                    if (localTypes.contains(name)) {
                        yield null;
                    }
                }
                NameResolver.Resolved resolved = resolver.resolve(classType, enclosing, typeVariables.keySet());
                yield resolved == null ? null : new TypeInfo(name, resolved, null);
            }
            default -> null;
        };
    }

    /** A type variable's erasure, as {@link TypeNames#withTypeParameters} spells it ({@code Object}, {@code List}). */
    private TypeInfo erasure(String erased, List<String> enclosing) {
        List<String> segments = List.of(erased.split("\\."));
        NameResolver.Resolved resolved = resolver.resolve(segments, enclosing, Set.of());
        return resolved == null ? null : new TypeInfo(segments.getLast(), resolved, null);
    }

    private TypeInfo fromClass(Class<?> type) {
        if (type.isPrimitive()) {
            return type == void.class ? null : new TypeInfo(type.getName(), null, null);
        }
        if (type.isArray()) {
            TypeInfo component = fromClass(type.getComponentType());
            return component == null ? null : TypeInfo.arrayOf(component);
        }
        String canonical = type.getCanonicalName();
        return canonical == null ? null
            : new TypeInfo(type.getSimpleName(), resolver.ofCanonicalName(canonical, Resolution.EXACT), null);
    }

    private TypeInfo fieldType(FieldInfo field, boolean eraseTypeVariables) {
        if (field.type() == null) {
            return field.owner().self; // an enum constant
        }
        return resolveType(field.type(), field.owner().enclosing, field.owner().typeVariables, eraseTypeVariables,
            Set.of());
    }

    /** A field of a type of the file (declared there) or a public field of a JDK type; null otherwise. */
    private TypeInfo memberField(TypeInfo owner, String name, boolean eraseTypeVariables) {
        String local = owner.localFqn();
        if (local != null) {
            TypeEntry entry = types.get(local);
            FieldInfo field = entry == null ? null : entry.fields.get(name);
            return field == null ? null : fieldType(field, eraseTypeVariables);
        }
        String binaryName = resolver.jdkBinaryName(owner.resolved());
        return binaryName == null ? null : jdk.fieldType(binaryName, name).map(this::fromClass).orElse(null);
    }

    // ---- calls ----

    /** Among a type's methods (or constructors) of one name, the one a call settles in the file; null if unsure. */
    private static Callable choose(List<Callable> candidates, List<TypeInfo> arguments) {
        Callable sameArity = null;
        int count = 0;
        for (Callable candidate : candidates) {
            if (candidate.parameterTypes().size() == arguments.size()) {
                sameArity = candidate;
                count++;
            }
        }
        if (count == 1) {
            return sameArity;
        }
        if (count > 1) {
            Callable chosen = null;
            for (Callable candidate : candidates) {
                if (candidate.parameterTypes().size() == arguments.size() && accepts(candidate, arguments)) {
                    if (chosen != null) {
                        return null; // overloads the argument types cannot tell apart: the link step chooses
                    }
                    chosen = candidate;
                }
            }
            return chosen;
        }
        Callable varArgs = null;
        for (Callable candidate : candidates) {
            if (candidate.varArgs() && arguments.size() >= candidate.parameterTypes().size() - 1) {
                if (varArgs != null) {
                    return null;
                }
                varArgs = candidate;
            }
        }
        return varArgs;
    }

    /** Whether every argument whose type is known has exactly the parameter's erased simple name. */
    private static boolean accepts(Callable candidate, List<TypeInfo> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            TypeInfo argument = arguments.get(i);
            String parameter = candidate.parameterTypes().get(i);
            String simple = parameter.substring(parameter.lastIndexOf('.') + 1);
            if (argument == null) {
                continue;
            }
            if (argument == NULL ? Character.isLowerCase(simple.charAt(0)) && !simple.endsWith("]")
                : !argument.simpleName().equals(simple)) {
                return false;
            }
        }
        return true;
    }

    private void emit(List<String> fromIds, List<TypeInfo> owners, String name, List<TypeInfo> arguments, long line,
                      Callable target) {
        for (String fromId : fromIds) {
            if (target != null) {
                if (emitted.add(List.of(fromId, target.id()))) {
                    relationships.add(new GraphRelationship(INVOKES, METHOD, fromId, METHOD, target.id(),
                        Map.of("line", line, "resolution", Resolution.EXACT.value())));
                }
                continue;
            }
            List<List<Candidate>> options = new ArrayList<>(owners.size());
            owners.forEach(owner -> options.add(resolver.candidates(owner.resolved())));
            List<String> argumentTypes = new ArrayList<>(arguments.size());
            arguments.forEach(argument -> argumentTypes.add(argument == null ? "" : argument.simpleName()));
            MethodReference call = new MethodReference(fromId, origin, options, name, arguments.size(),
                argumentTypes, line);
            // One call per caller, owners, name and argument types: the first line stands for the others.
            if (emitted.add(new CallKey(fromId, call.owners(), name, call.argumentTypes()))) {
                calls.add(call);
            }
        }
    }

    private record CallKey(String fromId, List<List<Candidate>> owners, String name, List<String> argumentTypes) {}

    private static long line(Node node) {
        return node.getBegin().map(position -> (long) position.line).orElse(0L);
    }

    /** The visitor of one body: the typer's local scope, and each call once its receiver and arguments are typed. */
    private final class BodyWalker extends VoidVisitorAdapter<Void> {
        private final List<String> fromIds;
        private final TypeEntry type;
        private final Map<String, String> typeVariables;
        /** Variables in scope; a name declared with a type the typer cannot tell maps to UNKNOWN (it shadows). */
        private final Map<String, Typed> locals = new HashMap<>();
        private final List<String> undoNames = new ArrayList<>();
        private final List<Typed> undoValues = new ArrayList<>();
        private final Set<String> localTypes = new HashSet<>();
        /** The result type of each call already handled, for the call it is the receiver or an argument of. */
        private final Map<MethodCallExpr, Typed> results = new IdentityHashMap<>();
        /**
         * The decisions of the body so far, for its cyclomatic complexity: the walk reaches what
         * {@link CyclomaticComplexity} counts (lambdas in, local and anonymous classes out), so counting here saves
         * a walk of every body.
         */
        private int decisions;

        BodyWalker(List<String> fromIds, TypeEntry type, Map<String, String> typeVariables) {
            this.fromIds = fromIds;
            this.type = type;
            this.typeVariables = typeVariables;
        }

        // -- scope --

        void declare(String name, Typed typed) {
            undoNames.add(name);
            undoValues.add(locals.put(name, typed));
        }

        private int mark() {
            return undoNames.size();
        }

        private void restore(int mark) {
            for (int i = undoNames.size() - 1; i >= mark; i--) {
                String name = undoNames.remove(i);
                Typed previous = undoValues.remove(i);
                if (previous == null) {
                    locals.remove(name);
                } else {
                    locals.put(name, previous);
                }
            }
        }

        Typed value(TypeInfo info) {
            return info == null ? UNKNOWN : new Value(info);
        }

        TypeInfo resolve(Type written) {
            return resolveType(written, type.enclosing, typeVariables, /* eraseTypeVariables= */ true, localTypes);
        }

        TypeInfo parameterType(Parameter parameter) {
            TypeInfo info = resolve(parameter.getType());
            return info != null && parameter.isVarArgs() ? TypeInfo.arrayOf(info) : info;
        }

        @Override
        public void visit(BlockStmt n, Void arg) {
            int mark = mark();
            super.visit(n, arg);
            restore(mark);
        }

        @Override
        public void visit(VariableDeclarationExpr n, Void arg) {
            for (VariableDeclarator variable : n.getVariables()) {
                variable.getInitializer().ifPresent(initializer -> initializer.accept(this, arg));
                Typed typed;
                if (variable.getType() instanceof VarType) {
                    Typed initial = variable.getInitializer().map(this::typeOf).orElse(UNKNOWN);
                    typed = initial instanceof Value ? initial : UNKNOWN;
                } else {
                    typed = value(resolve(variable.getType()));
                }
                declare(variable.getNameAsString(), typed);
            }
        }

        @Override
        public void visit(ForStmt n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            int mark = mark();
            n.getInitialization().forEach(e -> e.accept(this, arg));
            n.getCompare().ifPresent(e -> e.accept(this, arg));
            n.getUpdate().forEach(e -> e.accept(this, arg));
            n.getBody().accept(this, arg);
            restore(mark);
        }

        @Override
        public void visit(ForEachStmt n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            int mark = mark();
            n.getIterable().accept(this, arg);
            if (typeOf(n.getIterable()) instanceof Value iterable && iterable.type().isReceiver()) {
                // javac compiles the loop over an Iterable to iterator() on the expression's static type, then
                // hasNext() and next() on java.util.Iterator, all at the statement's line.
                long line = line(n);
                invoke(List.of(iterable.type()), "iterator", List.of(), line);
                invoke(List.of(iterator), "hasNext", List.of(), line);
                invoke(List.of(iterator), "next", List.of(), line);
            }
            for (VariableDeclarator variable : n.getVariable().getVariables()) {
                Typed typed;
                if (variable.getType() instanceof VarType) {
                    // Over an array, the element type; over an Iterable, a type argument the typer does not track.
                    typed = typeOf(n.getIterable()) instanceof Value iterable && iterable.type().component() != null
                        ? new Value(iterable.type().component()) : UNKNOWN;
                } else {
                    typed = value(resolve(variable.getType()));
                }
                declare(variable.getNameAsString(), typed);
            }
            n.getBody().accept(this, arg);
            restore(mark);
        }

        @Override
        public void visit(CatchClause n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            int mark = mark();
            Parameter parameter = n.getParameter();
            declare(parameter.getNameAsString(), value(resolve(parameter.getType()))); // a union type: unknown
            n.getBody().accept(this, arg);
            restore(mark);
        }

        @Override
        public void visit(TryStmt n, Void arg) {
            int mark = mark();
            n.getResources().forEach(resource -> resource.accept(this, arg));
            n.getTryBlock().accept(this, arg);
            restore(mark);
            n.getCatchClauses().forEach(clause -> clause.accept(this, arg));
            n.getFinallyBlock().ifPresent(block -> block.accept(this, arg));
        }

        // JavaParser's visitor adapter walks some children out of source order (an if's else before its then, a
        // loop's body before its condition, a case's guard before its label, a switch's entries before its
        // selector): a pattern variable must be declared before the code that uses it is typed, so these walks
        // follow the source.

        @Override
        public void visit(SwitchStmt n, Void arg) {
            int mark = mark();
            n.getSelector().accept(this, arg);
            n.getEntries().forEach(entry -> entry.accept(this, arg));
            restore(mark);
        }

        @Override
        public void visit(SwitchExpr n, Void arg) {
            int mark = mark();
            n.getSelector().accept(this, arg);
            n.getEntries().forEach(entry -> entry.accept(this, arg));
            restore(mark);
        }

        @Override
        public void visit(SwitchEntry n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            n.getLabels().forEach(label -> label.accept(this, arg));
            n.getGuard().ifPresent(guard -> guard.accept(this, arg));
            n.getStatements().forEach(statement -> statement.accept(this, arg));
        }

        @Override
        public void visit(LambdaExpr n, Void arg) {
            int mark = mark();
            for (Parameter parameter : n.getParameters()) {
                declare(parameter.getNameAsString(), parameter.getType() instanceof UnknownType
                    ? UNKNOWN : value(parameterType(parameter)));
            }
            n.getBody().accept(this, arg);
            restore(mark);
        }

        /** {@code o instanceof Foo f}, {@code case Foo f ->}: in scope until the enclosing block ends (or longer). */
        @Override
        public void visit(TypePatternExpr n, Void arg) {
            declare(n.getNameAsString(), value(resolve(n.getType())));
        }

        /** A local class: its body's methods are not collected, and its name is no type the resolver knows. */
        @Override
        public void visit(LocalClassDeclarationStmt n, Void arg) {
            localTypes.add(n.getClassDeclaration().getNameAsString());
        }

        @Override
        public void visit(LocalRecordDeclarationStmt n, Void arg) {
            localTypes.add(n.getRecordDeclaration().getNameAsString());
        }

        // Decisions, for the complexity; the other counted nodes (for, catch) have visits of their own above.
        @Override
        public void visit(IfStmt n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            n.getCondition().accept(this, arg);
            n.getThenStmt().accept(this, arg);
            n.getElseStmt().ifPresent(otherwise -> otherwise.accept(this, arg));
        }

        @Override
        public void visit(WhileStmt n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            n.getCondition().accept(this, arg);
            n.getBody().accept(this, arg);
        }

        @Override
        public void visit(DoStmt n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            super.visit(n, arg);
        }

        @Override
        public void visit(ConditionalExpr n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            n.getCondition().accept(this, arg);
            n.getThenExpr().accept(this, arg);
            n.getElseExpr().accept(this, arg);
        }

        @Override
        public void visit(BinaryExpr n, Void arg) {
            decisions += CyclomaticComplexity.decisions(n);
            super.visit(n, arg);
        }


        // Names and types hold no calls: not walking them saves time.
        @Override
        public void visit(ClassOrInterfaceType n, Void arg) {}

        @Override
        public void visit(SimpleName n, Void arg) {}

        @Override
        public void visit(Name n, Void arg) {}

        // -- calls --

        @Override
        public void visit(MethodCallExpr n, Void arg) {
            n.getScope().ifPresent(scope -> scope.accept(this, arg));
            n.getArguments().forEach(argument -> argument.accept(this, arg));
            String name = n.getNameAsString();
            List<TypeInfo> arguments = argumentTypes(n.getArguments());
            long line = line(n.getName());
            Typed result;
            if (n.getScope().isPresent()) {
                TypeInfo owner = receiver(n.getScope().get());
                result = owner == null ? UNKNOWN : invoke(List.of(owner), name, arguments, line);
            } else {
                result = unqualified(name, arguments, line);
            }
            if (result != UNKNOWN) {
                results.put(n, result);
            }
        }

        @Override
        public void visit(ObjectCreationExpr n, Void arg) {
            n.getScope().ifPresent(scope -> scope.accept(this, arg));
            n.getArguments().forEach(argument -> argument.accept(this, arg));
            // An anonymous class is constructed through its own <init> (Outer$1), which has no node yet; a
            // qualified `outer.new Inner()` names a member type of outer's type, which the typer does not follow.
            if (n.getAnonymousClassBody().isPresent() || n.getScope().isPresent()) {
                return;
            }
            TypeInfo created = resolveType(n.getType(), type.enclosing, typeVariables, false, localTypes);
            if (created != null && created.isReceiver()) {
                construct(created, argumentTypes(n.getArguments()), line(n));
            }
        }

        @Override
        public void visit(ExplicitConstructorInvocationStmt n, Void arg) {
            n.getExpression().ifPresent(e -> e.accept(this, arg));
            n.getArguments().forEach(argument -> argument.accept(this, arg));
            TypeInfo owner = n.isThis() ? type.self : type.superclass;
            if (owner != null) {
                construct(owner, argumentTypes(n.getArguments()), line(n));
            }
        }

        /** The {@code super()} javac inserts: Enum's {@code (String, int)}, else the superclass's no-argument one. */
        void implicitSuper(long line) {
            switch (type.kind) {
                case ENUM -> construct(named("java.lang.Enum"), List.of(string, INT), line);
                case RECORD -> construct(named("java.lang.Record"), List.of(), line);
                case CLASS -> {
                    if (type.superclass != null) {
                        construct(type.superclass, List.of(), line);
                    }
                }
                default -> { }
            }
        }

        private void construct(TypeInfo owner, List<TypeInfo> arguments, long line) {
            Callable target = null;
            TypeEntry entry = owner.localFqn() == null ? null : types.get(owner.localFqn());
            if (entry != null) {
                target = choose(entry.constructors, arguments);
            }
            emit(fromIds, List.of(owner), CONSTRUCTOR_NAME, arguments, line, target);
        }

        /** A call on one owner type: settled in the file when the type is the file's and declares the method. */
        private Typed invoke(List<TypeInfo> owners, String name, List<TypeInfo> arguments, long line) {
            Callable target = null;
            if (owners.size() == 1 && inheritedFromObject(owners.getFirst(), name, arguments.size())) {
                // javac names Object itself for a method of Object the receiver's type does not override (JLS §13.1).
                owners = List.of(object);
            }
            TypeInfo owner = owners.getFirst();
            TypeEntry entry = owners.size() == 1 && owner.localFqn() != null ? types.get(owner.localFqn()) : null;
            if (entry != null) {
                target = choose(entry.methods.getOrDefault(name, List.of()), arguments);
            }
            emit(fromIds, owners, name, arguments, line, target);
            if (target != null) {
                // The declared return type, read where the method is declared; a type variable is unknown.
                return value(target.returnType() == null ? null : resolveType(target.returnType(),
                    target.owner().enclosing, target.typeVariables(), false, Set.of()));
            }
            if (owners.size() == 1 && entry == null) {
                String binaryName = resolver.jdkBinaryName(owner.resolved());
                if (binaryName != null) {
                    return value(jdk.returnType(binaryName, name, arguments.size()).map(CallCollector.this::fromClass)
                        .orElse(null));
                }
            }
            return UNKNOWN;
        }

        /**
         * Whether javac names Object for the call: a method of Object that the receiver's class does not override.
         * Known for Object's final methods without parameters ({@code getClass()}, {@code notify()}...) on a class of
         * the file, and for any of Object's methods on a JDK class. On an interface javac names the interface.
         */
        private boolean inheritedFromObject(TypeInfo owner, String name, int arity) {
            if (!OBJECT_METHODS.contains(name)) {
                return false;
            }
            String local = owner.localFqn();
            if (local != null) {
                TypeEntry entry = types.get(local);
                return entry != null && !entry.kind.isInterfaceLike() && arity == 0
                    && FINAL_OBJECT_METHODS.contains(name);
            }
            String binaryName = resolver.jdkBinaryName(owner.resolved());
            return binaryName != null && jdk.isObjectsOwn(binaryName, name, arity);
        }

        /**
         * {@code m(..)}: the innermost enclosing type with a member method m (JLS §15.12.1). When a type of the file
         * declares m, that type, after the inner types that may inherit an m (those with supertypes other than
         * Object); else every enclosing type that may inherit one, then the types m is statically imported from.
         */
        private Typed unqualified(String name, List<TypeInfo> arguments, long line) {
            List<TypeInfo> owners = new ArrayList<>();
            if (OBJECT_METHODS.contains(name)) {
                owners.add(type.self);
            } else {
                boolean declared = false;
                for (String fqn : type.enclosing) {
                    TypeEntry enclosing = types.get(fqn);
                    if (enclosing == null) {
                        continue;
                    }
                    if (enclosing.methods.containsKey(name)) {
                        owners.add(enclosing.self);
                        declared = true;
                        break;
                    }
                    if (enclosing.hasSupertypes) {
                        owners.add(enclosing.self);
                    }
                }
                if (!declared) {
                    owners.addAll(staticImports.getOrDefault(name, List.of()));
                    owners.addAll(staticOnDemand);
                }
            }
            return owners.isEmpty() ? UNKNOWN : invoke(owners, name, arguments, line);
        }

        /** The static type a call on {@code scope} is made on; null when the typer cannot tell. */
        private TypeInfo receiver(Expression scope) {
            if (scope instanceof SuperExpr superExpr) {
                return superOwner(superExpr);
            }
            return switch (typeOf(scope)) {
                case Value value when value.type().isReceiver() -> value.type();
                case TypeName typeName -> typeName.type();
                default -> null;
            };
        }

        /** {@code super.m()}: the superclass; {@code Outer.super.m()}: Outer's; {@code Iface.super.m()}: Iface. */
        private TypeInfo superOwner(SuperExpr superExpr) {
            if (superExpr.getTypeName().isEmpty()) {
                return type.superclass;
            }
            String name = superExpr.getTypeName().get().getIdentifier();
            TypeEntry enclosing = enclosingNamed(name);
            if (enclosing != null) {
                return enclosing.superclass;
            }
            return typeName(List.of(name)) instanceof TypeName typeName ? typeName.type() : null;
        }

        private TypeEntry enclosingNamed(String simpleName) {
            for (String fqn : type.enclosing) {
                if (fqn.endsWith("." + simpleName) || fqn.equals(simpleName)) {
                    return types.get(fqn);
                }
            }
            return null;
        }

        private List<TypeInfo> argumentTypes(NodeList<Expression> arguments) {
            if (arguments.isEmpty()) {
                return List.of();
            }
            List<TypeInfo> types = new ArrayList<>(arguments.size());
            for (Expression argument : arguments) {
                types.add(typeOf(argument) instanceof Value value ? value.type() : null);
            }
            return types;
        }

        // -- the typer --

        Typed typeOf(Expression expression) {
            return switch (expression) {
                case NameExpr name -> name(name.getNameAsString());
                case MethodCallExpr call -> results.getOrDefault(call, UNKNOWN);
                case FieldAccessExpr access -> fieldAccess(access);
                case ThisExpr self -> self.getTypeName()
                    .map(name -> enclosingNamed(name.getIdentifier()))
                    .map(enclosing -> (Typed) new Value(enclosing.self))
                    .orElse(self.getTypeName().isEmpty() ? new Value(type.self) : UNKNOWN);
                case StringLiteralExpr ignored -> new Value(string);
                case TextBlockLiteralExpr ignored -> new Value(string);
                case CharLiteralExpr ignored -> new Value(new TypeInfo("char", null, null));
                case IntegerLiteralExpr ignored -> new Value(INT);
                case LongLiteralExpr ignored -> new Value(new TypeInfo("long", null, null));
                case BooleanLiteralExpr ignored -> new Value(BOOLEAN);
                case DoubleLiteralExpr literal -> new Value(new TypeInfo(
                    literal.getValue().endsWith("f") || literal.getValue().endsWith("F") ? "float" : "double",
                    null, null));
                case NullLiteralExpr ignored -> new Value(NULL);
                case ObjectCreationExpr creation -> creation.getAnonymousClassBody().isPresent()
                    || creation.getScope().isPresent() ? UNKNOWN
                    : value(resolveType(creation.getType(), type.enclosing, typeVariables, false, localTypes));
                case CastExpr cast -> value(resolve(cast.getType()));
                case EnclosedExpr enclosed -> typeOf(enclosed.getInner());
                case ClassExpr ignored -> new Value(classType);
                case ArrayAccessExpr access -> typeOf(access.getName()) instanceof Value array
                    && array.type().component() != null ? new Value(array.type().component()) : UNKNOWN;
                case ArrayCreationExpr creation -> {
                    TypeInfo element = resolve(creation.getElementType());
                    for (int i = 0; element != null && i < creation.getLevels().size(); i++) {
                        element = TypeInfo.arrayOf(element);
                    }
                    yield value(element);
                }
                case BinaryExpr binary -> binary(binary);
                case InstanceOfExpr ignored -> new Value(BOOLEAN);
                case UnaryExpr unary -> unary.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT
                    ? new Value(BOOLEAN) : UNKNOWN;
                default -> UNKNOWN;
            };
        }

        private Typed binary(BinaryExpr binary) {
            return switch (binary.getOperator()) {
                case EQUALS, NOT_EQUALS, LESS, GREATER, LESS_EQUALS, GREATER_EQUALS, AND, OR -> new Value(BOOLEAN);
                case PLUS -> isString(typeOf(binary.getLeft())) || isString(typeOf(binary.getRight()))
                    ? new Value(string) : UNKNOWN;
                default -> UNKNOWN;
            };
        }

        private boolean isString(Typed typed) {
            return typed instanceof Value value && value.type().isReceiver() && value.type().simpleName().equals("String");
        }

        /** A local variable, else a field of an enclosing type of the file, else a type's or a package's name. */
        private Typed name(String name) {
            Typed local = locals.get(name);
            if (local != null) {
                return local;
            }
            for (String fqn : type.enclosing) {
                TypeEntry enclosing = types.get(fqn);
                FieldInfo field = enclosing == null ? null : enclosing.fields.get(name);
                if (field != null) {
                    return value(fieldType(field, /* eraseTypeVariables= */ true));
                }
            }
            // Not a variable the file declares: an inherited field (unknown), a type, or the start of a package.
            return Character.isUpperCase(name.charAt(0)) ? typeName(List.of(name))
                : new PackageName(List.of(name));
        }

        private Typed typeName(List<String> segments) {
            String last = segments.getLast();
            if (segments.size() == 1 && (typeVariables.containsKey(last) || localTypes.contains(last))) {
                return UNKNOWN;
            }
            NameResolver.Resolved resolved = resolver.resolve(segments, type.enclosing, typeVariables.keySet());
            if (resolved == null) {
                return UNKNOWN;
            }
            // LOGGER, INSTANCE: more likely an inherited constant than a type, unless something certain declares it.
            if (isConstantLike(last) && resolved instanceof NameResolver.Resolved.Linked linked
                && linked.candidates().stream().noneMatch(Candidate::certain)) {
                return UNKNOWN;
            }
            return new TypeName(new TypeInfo(last, resolved, null), segments);
        }

        private Typed fieldAccess(FieldAccessExpr access) {
            String name = access.getNameAsString();
            Typed scope = typeOf(access.getScope());
            switch (scope) {
                case PackageName packageName -> {
                    List<String> segments = new ArrayList<>(packageName.segments());
                    segments.add(name);
                    if (!Character.isUpperCase(name.charAt(0))) {
                        return new PackageName(segments);
                    }
                    // One lower-case segment is more likely an inherited field than a package.
                    return packageName.segments().size() >= 2 || resolver.isLocal(String.join(".", segments))
                        ? typeName(segments) : UNKNOWN;
                }
                case TypeName typeName -> {
                    TypeInfo field = memberField(typeName.type(), name, /* eraseTypeVariables= */ false);
                    if (field != null) {
                        return new Value(field);
                    }
                    if (Character.isUpperCase(name.charAt(0)) && !isConstantLike(name)) {
                        List<String> segments = new ArrayList<>(typeName.segments());
                        segments.add(name);
                        return typeName(segments); // a member type
                    }
                    return UNKNOWN;
                }
                case Value value when value.type().isReceiver() -> {
                    boolean own = access.getScope() instanceof ThisExpr self && self.getTypeName().isEmpty();
                    return value(memberField(value.type(), name, own));
                }
                case Value value when value.type().component() != null && name.equals("length") -> {
                    return new Value(INT);
                }
                default -> {
                    return UNKNOWN;
                }
            }
        }
    }

    private static boolean isConstantLike(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isLowerCase(name.charAt(i))) {
                return false;
            }
        }
        return name.length() > 1;
    }

    /** A type of the file, with the members the typer and the in-file settling need. */
    static final class TypeEntry {
        final String fqn;
        final TypeKind kind;
        final List<String> enclosing;
        final Map<String, String> typeVariables;
        final TypeInfo self;
        final TypeInfo superclass;
        final boolean hasSupertypes;
        final List<Callable> callables = new ArrayList<>();
        final Map<String, List<Callable>> methods = new HashMap<>();
        final List<Callable> constructors = new ArrayList<>();
        final Map<String, FieldInfo> fields = new HashMap<>();
        final List<Node> initializers = new ArrayList<>();

        TypeEntry(String fqn, TypeKind kind, List<String> enclosing, Map<String, String> typeVariables, TypeInfo self,
                  TypeInfo superclass, boolean hasSupertypes) {
            this.fqn = fqn;
            this.kind = kind;
            this.enclosing = enclosing;
            this.typeVariables = typeVariables;
            this.self = self;
            this.superclass = superclass;
            this.hasSupertypes = hasSupertypes;
        }
    }

    private record Callable(String id, String name, List<String> parameterTypes, boolean varArgs, Type returnType,
                            Map<String, String> typeVariables, TypeEntry owner, NodeList<Parameter> parameters,
                            BlockStmt body, long line) {}

    /** @param type the declared type; null for an enum constant, whose type is its enum */
    private record FieldInfo(Type type, TypeEntry owner) {}
}
