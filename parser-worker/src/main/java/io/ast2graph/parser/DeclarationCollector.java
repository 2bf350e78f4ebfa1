package io.ast2graph.parser;

import static io.ast2graph.parser.GraphVocabulary.CONSTRUCTOR;
import static io.ast2graph.parser.GraphVocabulary.CONTAINS;
import static io.ast2graph.parser.GraphVocabulary.DECLARES;
import static io.ast2graph.parser.GraphVocabulary.ENUM_CONSTANT;
import static io.ast2graph.parser.GraphVocabulary.FIELD;
import static io.ast2graph.parser.GraphVocabulary.FILE;
import static io.ast2graph.parser.GraphVocabulary.EXPORTS;
import static io.ast2graph.parser.GraphVocabulary.METHOD;
import static io.ast2graph.parser.GraphVocabulary.MODULE;
import static io.ast2graph.parser.GraphVocabulary.OPENS;
import static io.ast2graph.parser.GraphVocabulary.PACKAGE;
import static io.ast2graph.parser.GraphVocabulary.TYPE;
import static io.ast2graph.parser.GraphVocabulary.ANNOTATED_BY;
import static io.ast2graph.parser.GraphVocabulary.DEPENDS_ON;
import static io.ast2graph.parser.GraphVocabulary.EXTENDS;
import static io.ast2graph.parser.GraphVocabulary.HAS;
import static io.ast2graph.parser.GraphVocabulary.IMPLEMENTS;
import static io.ast2graph.parser.GraphVocabulary.IMPORTS;
import static io.ast2graph.parser.GraphVocabulary.OF_TYPE;
import static io.ast2graph.parser.GraphVocabulary.PARAMETER;
import static io.ast2graph.parser.GraphVocabulary.RETURNS;
import static io.ast2graph.parser.GraphVocabulary.THROWS;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.PackageDeclaration;
import com.github.javaparser.ast.expr.Name;
import com.github.javaparser.ast.modules.ModuleDeclaration;
import com.github.javaparser.ast.modules.ModuleDirective;
import com.github.javaparser.ast.modules.ModuleExportsDirective;
import com.github.javaparser.ast.modules.ModuleOpensDirective;
import com.github.javaparser.ast.modules.ModuleProvidesDirective;
import com.github.javaparser.ast.modules.ModuleRequiresDirective;
import com.github.javaparser.ast.modules.ModuleUsesDirective;
import com.github.javaparser.ast.Modifier.Keyword;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.AnnotationMemberDeclaration;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.CompactConstructorDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.nodeTypes.NodeWithThrownExceptions;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithAnnotations;
import com.github.javaparser.ast.nodeTypes.NodeWithModifiers;
import com.github.javaparser.ast.nodeTypes.NodeWithTypeParameters;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.ReferenceType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.TypeParameter;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.NodeIds;
import io.ast2graph.common.model.ParseProblem;
import io.ast2graph.common.model.TypeReference;
import io.ast2graph.common.model.TypeReference.Resolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the declarations of one compilation unit into nodes and relationships of jQAssistant's Java vocabulary: the
 * file's {@code Package}, every {@code Type} declared at top level or as a member (with one kind label: Class,
 * Interface, Enum, Record, Annotation), and each type's {@code Method}s (constructors also {@code Constructor}),
 * annotation members (as methods), {@code Field}s, enum constants (fields also {@code EnumConstant}) and record
 * components (the private final fields javac generates for them).
 *
 * <p>It emits what the source declares and the members the language declares implicitly, which javac compiles into
 * the class and calls are made to (default constructors, an enum's {@code values()}, a record's canonical constructor
 * and accessors: marked {@code implicit}); nothing else javac adds (bridges, synthetic accessors, lambda bodies). It
 * does not look into method bodies and initializers, so local
 * and anonymous classes (enum constant bodies included) are not emitted yet: javac numbers them ({@code Outer$1},
 * {@code Outer$1Local}), and a later version will follow that numbering.
 *
 * <p>Nodes and relationships come in document order, so the same source always yields the same lists. A declaration
 * whose id repeats an earlier one (only in code javac rejects, e.g. {@code f(List<String>)} next to
 * {@code f(List<Integer>)}) is dropped with its members and reported as a problem: the writer needs unique ids.
 *
 * <p>One instance per compilation unit; not thread-safe.
 */
final class DeclarationCollector {

    /** What a compilation unit contributes besides its File node. */
    record Declarations(List<GraphNode> nodes, List<GraphRelationship> relationships, List<TypeReference> references,
                        List<MethodReference> calls, List<ParseProblem> problems) {
        static final Declarations NONE = new Declarations(List.of(), List.of(), List.of(), List.of(), List.of());

        Declarations {
            nodes = List.copyOf(nodes);
            relationships = List.copyOf(relationships);
            references = List.copyOf(references);
            calls = List.copyOf(calls);
            problems = List.copyOf(problems);
        }
    }

    private static final String CONSTRUCTOR_NAME = "<init>";

    private final String repo;
    private final String fileId;
    private final String packageName;
    private final String sourceRoot;
    private final String implicitClassName;
    private final Map<NodeKey, GraphNode> nodes = new LinkedHashMap<>();
    private final List<GraphRelationship> relationships = new ArrayList<>();
    private final Set<TypeReference> references = new LinkedHashSet<>();
    private final List<ParseProblem> problems = new ArrayList<>();
    /** {@link #simpleSignature} of each method and constructor the source declares. */
    private final Set<String> declaredSignatures = new java.util.HashSet<>();
    /** The body of each method and constructor node that has one, by node id. */
    private final Map<String, BlockStmt> bodies = new LinkedHashMap<>();
    private final String origin;
    private NameResolver resolver;
    private CallCollector calls;

    private DeclarationCollector(String repo, String path, String fileId, String packageName) {
        this.repo = repo;
        this.fileId = fileId;
        this.packageName = packageName;
        this.sourceRoot = SourceRoot.of(path, packageName);
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        this.implicitClassName = fileName.endsWith(".java") ? fileName.substring(0, fileName.length() - 5) : fileName;
        this.origin = repo + ":" + sourceRoot;
    }

    /**
     * @param unit   a parsed file, possibly only partly recovered from syntax errors
     * @param path   the file's repository-relative path, which gives the types' source root
     * @param fileId the id of the File node that declares the top-level types
     */
    static Declarations collect(CompilationUnit unit, String repo, String path, String fileId) {
        if (unit.getModule().isPresent()) {
            DeclarationCollector collector = new DeclarationCollector(repo, path, fileId, "");
            collector.module(unit.getModule().get());
            return new Declarations(List.copyOf(collector.nodes.values()), collector.relationships, List.of(),
                List.of(), collector.problems);
        }
        if (unit.getPackageDeclaration().isEmpty() && unit.getTypes().isEmpty()) {
            // An empty file, or one JavaParser could not recover anything from (it then returns an empty unit and
            // loses the package declaration too): claiming the default package would be a guess.
            return Declarations.NONE;
        }
        String packageName = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
        DeclarationCollector collector = new DeclarationCollector(repo, path, fileId, packageName);
        Map<String, NameResolver.LocalType> localTypes = new HashMap<>();
        for (TypeDeclaration<?> type : unit.getTypes()) {
            collector.localTypes(type, Placement.topLevel(fileId, packageName, collector.simpleName(type)), localTypes);
        }
        collector.resolver = new NameResolver(unit, packageName, localTypes, JdkTypes.system());
        collector.calls = new CallCollector(collector.resolver, JdkMembers.system(), collector.origin);
        collector.packageNode();
        unit.getPackageDeclaration().ifPresent(declaration -> collector.packageInfo(unit, declaration));
        // One IMPORTS edge per imported type; {static: true} when the file imports its members statically (the call
        // linker finds the calls a static import may settle through these edges).
        List<String> staticImports = collector.resolver.staticallyImportedTypes();
        Set<String> imports = new LinkedHashSet<>(collector.resolver.singleTypeImports());
        imports.addAll(staticImports);
        for (String imported : imports) {
            collector.emit(IMPORTS, FILE, fileId, collector.resolver.ofCanonicalName(imported, Resolution.IMPORT),
                staticImports.contains(imported) ? Map.of("static", true) : Map.of());
        }
        for (TypeDeclaration<?> type : unit.getTypes()) {
            collector.type(type, Placement.topLevel(fileId, packageName, collector.simpleName(type)), Scope.NONE);
        }
        // Calls last, once every method of the file is known (a call may target one declared further down).
        List<MethodReference> calls = List.of();
        try {
            collector.calls.collect();
            collector.relationships.addAll(collector.calls.relationships());
            calls = collector.calls.calls();
            collector.problems.addAll(collector.calls.problems());
        } catch (RuntimeException | StackOverflowError failure) {
            // The collector catches per body; this is for a failure between bodies. The declarations stay.
            collector.problems.add(ParseProblems.of("Calls not collected: " + ParseProblems.of(failure).message(),
                0));
        }
        collector.addComplexities(collector.calls.complexities());
        return new Declarations(List.copyOf(collector.nodes.values()), collector.relationships,
            List.copyOf(collector.references), calls, collector.problems);
    }

    /** First pass: every type the file declares, so that references can point at types declared further down. */
    private void localTypes(TypeDeclaration<?> declaration, Placement placement,
                            Map<String, NameResolver.LocalType> localTypes) {
        String id = NodeIds.type(repo, sourceRoot, placement.binaryName());
        localTypes.putIfAbsent(placement.fqn(), new NameResolver.LocalType(id, placement.fqn(), placement.binaryName()));
        DeclaredType owner = new DeclaredType(id, placement.fqn(), placement.binaryName(), simpleName(declaration),
            TypeKind.of(declaration));
        for (BodyDeclaration<?> member : declaration.getMembers()) {
            if (member instanceof TypeDeclaration<?> memberType) {
                localTypes(memberType, Placement.member(owner, simpleName(memberType)), localTypes);
            }
        }
    }

    /** The default package too is a node (fqn ""), so that every type has a CONTAINS. */
    private void packageNode() {
        String name = packageName.substring(packageName.lastIndexOf('.') + 1);
        add(new GraphNode(PACKAGE, NodeIds.pkg(packageName), List.of(), Map.of("fqn", packageName, "name", name),
            /* shared= */ true), 0);
    }

    /**
     * A package's annotations stand in its {@code package-info.java}: the file is what the package contains and what
     * is annotated, so that changing or deleting the file takes its annotations with it (the package node is shared
     * by every file of the package and outlives them).
     */
    private void packageInfo(CompilationUnit unit, PackageDeclaration declaration) {
        if (!implicitClassName.equals("package-info") || !unit.getTypes().isEmpty()) {
            return;
        }
        relate(CONTAINS, PACKAGE, NodeIds.pkg(packageName), FILE, fileId);
        // A scope of its own: the file declares no type that the annotations would make depend on anything.
        annotations(FILE, fileId, declaration, new Scope(null, List.of(), Map.of(), new LinkedHashMap<>()));
    }

    /**
     * {@code module-info.java}: a {@code Module} the file declares, its directives as properties (the modules it
     * requires are named, not linked: most are the JDK's), and the packages it exports or opens as relationships.
     */
    private void module(ModuleDeclaration module) {
        List<String> requires = new ArrayList<>();
        List<String> uses = new ArrayList<>();
        List<String> provides = new ArrayList<>();
        String id = NodeIds.module(repo, sourceRoot, module.getNameAsString());
        List<Runnable> edges = new ArrayList<>();
        for (ModuleDirective directive : module.getDirectives()) {
            switch (directive) {
                case ModuleRequiresDirective required -> requires.add(
                    (required.isTransitive() ? "transitive " : "") + (required.isStatic() ? "static " : "")
                        + required.getNameAsString());
                case ModuleExportsDirective exported -> edges.add(() -> packageEdge(EXPORTS, id,
                    exported.getNameAsString(), exported.getModuleNames()));
                case ModuleOpensDirective opened -> edges.add(() -> packageEdge(OPENS, id,
                    opened.getNameAsString(), opened.getModuleNames()));
                case ModuleUsesDirective used -> uses.add(used.getNameAsString());
                case ModuleProvidesDirective provided -> provides.add(provided.getNameAsString() + " with "
                    + String.join(",", provided.getWith().stream().map(Name::asString).toList()));
                default -> { }
            }
        }
        add(new GraphNode(MODULE, id, List.of(), Map.of(
            "name", module.getNameAsString(),
            "open", module.isOpen(),
            "requires", List.copyOf(requires),
            "uses", List.copyOf(uses),
            "provides", List.copyOf(provides),
            "line", firstLine(module),
            "endLine", lastLine(module)), /* shared= */ false), firstLine(module));
        relate(DECLARES, FILE, fileId, MODULE, id);
        edges.forEach(Runnable::run);
    }

    /** {@code exports p to m1, m2}: the edge names the friend modules ({@code to}, empty when unqualified). */
    private void packageEdge(String type, String moduleId, String packageFqn, List<Name> friends) {
        String name = packageFqn.substring(packageFqn.lastIndexOf('.') + 1);
        nodes.putIfAbsent(new NodeKey(PACKAGE, NodeIds.pkg(packageFqn)), new GraphNode(PACKAGE,
            NodeIds.pkg(packageFqn), List.of(), Map.of("fqn", packageFqn, "name", name), /* shared= */ true));
        relationships.add(new GraphRelationship(type, MODULE, moduleId, PACKAGE, NodeIds.pkg(packageFqn),
            Map.of("to", friends.stream().map(Name::asString).toList())));
    }

    private void type(TypeDeclaration<?> declaration, Placement placement, Scope outer) {
        TypeKind kind = TypeKind.of(declaration);
        String name = simpleName(declaration);
        String id = NodeIds.type(repo, sourceRoot, placement.binaryName());
        Visibility visibility =
            Visibility.of(declaration, placement.inInterface() ? Visibility.PUBLIC : Visibility.PACKAGE);
        Map<String, Object> properties = Map.of(
            "fqn", placement.fqn(),
            "binaryName", placement.binaryName(),
            "name", name,
            "sourceRoot", sourceRoot,
            "visibility", visibility.value(),
            "abstract", kind.isInterfaceLike() || declaration.hasModifier(Keyword.ABSTRACT),
            "final", isFinal(declaration, kind),
            // Member interfaces, enums, records and annotations are static, as is every member of an interface.
            "static", placement.member()
                && (kind != TypeKind.CLASS || placement.inInterface() || declaration.hasModifier(Keyword.STATIC)),
            "line", firstLine(declaration),
            "endLine", lastLine(declaration));
        GraphNode node = new GraphNode(TYPE, id, List.of(kind.label()), properties, /* shared= */ false);
        if (!add(node, firstLine(declaration))) {
            return; // a duplicate: its members would duplicate the first one's too
        }
        relate(DECLARES, placement.declarerLabel(), placement.declarerId(), TYPE, id);
        relate(CONTAINS, PACKAGE, NodeIds.pkg(packageName), TYPE, id);

        DeclaredType owner = new DeclaredType(id, placement.fqn(), placement.binaryName(), name, kind);
        Scope scope = outer.inside(owner, typeParameters(declaration));
        calls.type(placement.fqn(), kind, scope.enclosing(), scope.typeVariables(),
            superclass(declaration, kind, placement.fqn(), scope.header()), hasSupertypes(declaration, kind));
        // The type's own members are not in scope in its header (JLS §6.3): `class A implements Builder` means
        // the Builder outside A even when A declares a member type Builder.
        supertypes(declaration, kind, scope.header());
        annotations(TYPE, id, declaration, scope.header());
        // Enum constants and record components come before the body's members in the source.
        switch (declaration) {
            case EnumDeclaration enumDeclaration -> enumDeclaration.getEntries().forEach(c -> enumConstant(c, owner));
            case RecordDeclaration recordDeclaration ->
                recordDeclaration.getParameters().forEach(c -> recordComponent(c, owner, scope));
            default -> { }
        }
        for (BodyDeclaration<?> member : declaration.getMembers()) {
            member(member, owner, declaration, scope);
        }
        implicitMembers(declaration, visibility, owner, scope);
        scope.dependencies().values().forEach(target -> emit(DEPENDS_ON, TYPE, id, target));
    }

    /** The superclass as written, else the one javac implies; null for interfaces (and for Object itself). */
    private NameResolver.Resolved superclass(TypeDeclaration<?> declaration, TypeKind kind, String fqn,
                                             Scope header) {
        return switch (kind) {
            case CLASS -> {
                var extended = ((ClassOrInterfaceDeclaration) declaration).getExtendedTypes();
                if (!extended.isEmpty()) {
                    yield resolver.resolve(extended.getFirst().orElseThrow(), header.enclosing(),
                        header.typeVariables().keySet());
                }
                yield fqn.equals("java.lang.Object") ? null
                    : resolver.ofCanonicalName("java.lang.Object", Resolution.EXACT);
            }
            case ENUM -> resolver.ofCanonicalName("java.lang.Enum", Resolution.EXACT);
            case RECORD -> resolver.ofCanonicalName("java.lang.Record", Resolution.EXACT);
            case INTERFACE, ANNOTATION -> null;
        };
    }

    /** Whether the type may inherit methods other than Object's. */
    private static boolean hasSupertypes(TypeDeclaration<?> declaration, TypeKind kind) {
        return switch (declaration) {
            case ClassOrInterfaceDeclaration type ->
                type.getExtendedTypes().isNonEmpty() || type.getImplementedTypes().isNonEmpty();
            case EnumDeclaration type -> true;
            case RecordDeclaration type -> true;
            default -> kind == TypeKind.ANNOTATION;
        };
    }

    private static List<TypeParameter> typeParameters(TypeDeclaration<?> declaration) {
        return declaration instanceof NodeWithTypeParameters<?> generic ? generic.getTypeParameters() : List.of();
    }

    /**
     * EXTENDS for a class's superclass and an interface's superinterfaces (the source says {@code extends}),
     * IMPLEMENTS for a class's, enum's or record's interfaces. The supertypes javac adds are emitted too, so the
     * hierarchy has a root: Object, Enum, Record, and Annotation, which annotation interfaces extend.
     */
    private void supertypes(TypeDeclaration<?> declaration, TypeKind kind, Scope scope) {
        String id = scope.owner().id();
        switch (declaration) {
            case ClassOrInterfaceDeclaration type -> {
                type.getExtendedTypes().forEach(t -> typeUse(EXTENDS, TYPE, id, t, scope));
                type.getImplementedTypes().forEach(t -> typeUse(IMPLEMENTS, TYPE, id, t, scope));
                if (!type.isInterface() && type.getExtendedTypes().isEmpty()) {
                    implicitSupertype(EXTENDS, "java.lang.Object", scope);
                }
            }
            case EnumDeclaration type -> {
                implicitSupertype(EXTENDS, "java.lang.Enum", scope);
                type.getImplementedTypes().forEach(t -> typeUse(IMPLEMENTS, TYPE, id, t, scope));
            }
            case RecordDeclaration type -> {
                implicitSupertype(EXTENDS, "java.lang.Record", scope);
                type.getImplementedTypes().forEach(t -> typeUse(IMPLEMENTS, TYPE, id, t, scope));
            }
            default -> {
                if (kind == TypeKind.ANNOTATION) {
                    implicitSupertype(EXTENDS, "java.lang.annotation.Annotation", scope);
                }
            }
        }
    }

    private void implicitSupertype(String relationship, String fqn, Scope scope) {
        NameResolver.Resolved target = resolver.ofCanonicalName(fqn, Resolution.EXACT);
        if (!scope.owner().fqn().equals(fqn)) { // scanning the JDK: java.lang.Object extends nothing
            emit(relationship, TYPE, scope.owner().id(), target);
            scope.dependOn(target);
        }
    }

    /**
     * A relationship from a node to the type a declaration uses ({@code List<Foo>[]} uses {@code List}; primitives
     * and type variables use no type); the type and its type arguments become dependencies of the enclosing type.
     */
    private void typeUse(String relationship, String fromLabel, String fromId, Type type, Scope scope) {
        if (type.getElementType() instanceof ClassOrInterfaceType classType) {
            NameResolver.Resolved target = resolver.resolve(classType, scope.enclosing(), scope.typeVariables().keySet());
            if (target != null) {
                emit(relationship, fromLabel, fromId, target);
            }
        }
        dependOnTypesIn(type, scope);
    }

    /** Every class type written in the node, type arguments and bounds included, as a dependency. */
    private void dependOnTypesIn(Node node, Scope scope) {
        for (ClassOrInterfaceType used : node.findAll(ClassOrInterfaceType.class)) {
            // The scope of java.util.List is a ClassOrInterfaceType "java.util" too: only whole names count.
            boolean isScope = used.getParentNode()
                .filter(parent -> parent instanceof ClassOrInterfaceType outer && outer.getScope().orElse(null) == used)
                .isPresent();
            if (!isScope) {
                NameResolver.Resolved target = resolver.resolve(used, scope.enclosing(), scope.typeVariables().keySet());
                if (target != null) {
                    scope.dependOn(target);
                }
            }
        }
    }

    /**
     * ANNOTATED_BY from the node to each annotation's type, with the annotation's simple values
     * ({@link AnnotationValues}); the annotated type depends on it. A repeated annotation gives one edge, with the
     * first one's values.
     */
    private void annotations(String fromLabel, String fromId, NodeWithAnnotations<?> annotated, Scope scope) {
        Set<NameResolver.Resolved> seen = new java.util.HashSet<>();
        for (AnnotationExpr annotation : annotated.getAnnotations()) {
            List<String> segments = List.of(annotation.getNameAsString().split("\\."));
            NameResolver.Resolved target = resolver.resolve(segments, scope.enclosing(), Set.of());
            if (target != null && seen.add(target)) {
                emit(ANNOTATED_BY, fromLabel, fromId, target, AnnotationValues.of(annotation));
                scope.dependOn(target);
            }
        }
    }

    /** A reference the file settles is a relationship; any other is left to the writer's link step. */
    private void emit(String relationship, String fromLabel, String fromId, NameResolver.Resolved target) {
        emit(relationship, fromLabel, fromId, target, Map.of());
    }

    /** The same, with the edge's own properties (no {@link TypeReference#EDGE_KEYS}). */
    private void emit(String relationship, String fromLabel, String fromId, NameResolver.Resolved target,
                      Map<String, Object> properties) {
        switch (target) {
            case NameResolver.Resolved.Local local -> {
                Map<String, Object> edge = new HashMap<>(properties);
                edge.put("resolution", Resolution.EXACT.value());
                relationships.add(new GraphRelationship(relationship, fromLabel, fromId, TYPE, local.id(), edge));
            }
            case NameResolver.Resolved.Linked linked -> references.add(
                new TypeReference(relationship, fromLabel, fromId, origin, linked.candidates(), properties));
        }
    }

    /**
     * The type's name; for the class a compact source file (Java 25) declares implicitly, the file's name, as javac
     * names it (JavaParser calls it {@code $COMPACT_CLASS}).
     */
    private String simpleName(TypeDeclaration<?> declaration) {
        if (declaration instanceof ClassOrInterfaceDeclaration type && type.isCompact()) {
            return implicitClassName;
        }
        return declaration.getNameAsString();
    }

    /** Records are final; enums are final unless a constant has a body (javac then subclasses the enum). */
    private static boolean isFinal(TypeDeclaration<?> declaration, TypeKind kind) {
        return switch (kind) {
            case CLASS -> declaration.hasModifier(Keyword.FINAL);
            case RECORD -> true;
            case ENUM -> ((EnumDeclaration) declaration).getEntries().stream()
                .allMatch(constant -> constant.getClassBody().isEmpty());
            case INTERFACE, ANNOTATION -> false;
        };
    }

    private void member(BodyDeclaration<?> member, DeclaredType owner, TypeDeclaration<?> ownerDeclaration,
                        Scope scope) {
        switch (member) {
            case FieldDeclaration field ->
                field.getVariables().forEach(variable -> field(field, variable, owner, scope));
            case MethodDeclaration method -> method(method, owner, scope);
            case ConstructorDeclaration constructor -> {
                Scope inner = scope.withTypeVariables(constructor.getTypeParameters());
                List<String> parameterTypes =
                    TypeNames.erasedParameterTypes(constructor.getParameters(), inner.typeVariables());
                String id = constructor(constructor, parameterTypes, owner);
                signature(constructor, constructor.getParameters(), id, inner);
                if (id != null) {
                    calls.callable(calls.entry(owner.fqn()), id, CONSTRUCTOR_NAME, parameterTypes,
                        constructor.getParameters(), null, constructor.getBody(), inner.typeVariables(),
                        firstLine(constructor));
                }
            }
            case CompactConstructorDeclaration constructor
                when ownerDeclaration instanceof RecordDeclaration recordDeclaration -> {
                // The compact form declares the canonical constructor: its parameters are the record components.
                List<String> parameterTypes =
                    TypeNames.erasedParameterTypes(recordDeclaration.getParameters(), scope.typeVariables());
                String id = constructor(constructor, parameterTypes, owner);
                signature(constructor, recordDeclaration.getParameters(), id, scope);
                if (id != null) {
                    calls.callable(calls.entry(owner.fqn()), id, CONSTRUCTOR_NAME, parameterTypes,
                        recordDeclaration.getParameters(), null, constructor.getBody(), scope.typeVariables(),
                        firstLine(constructor));
                }
            }
            case InitializerDeclaration initializer when !initializer.isStatic() ->
                calls.instanceInitializer(calls.entry(owner.fqn()), initializer.getBody());
            case AnnotationMemberDeclaration annotationMember -> {
                String id = annotationMember(annotationMember, owner);
                if (id != null) {
                    typeUse(RETURNS, METHOD, id, annotationMember.getType(), scope);
                    annotations(METHOD, id, annotationMember, scope);
                }
            }
            case TypeDeclaration<?> memberType ->
                type(memberType, Placement.member(owner, simpleName(memberType)), scope);
            default -> { } // initializer blocks: no node in the vocabulary
        }
    }

    /**
     * The members the language declares implicitly (JLS §8.8.9, §8.9.3, §8.10.3) and javac compiles into the class:
     * a class's or enum's default constructor when it declares none, an enum's {@code values()} and
     * {@code valueOf(String)}, a record's canonical constructor, accessors, {@code equals}, {@code hashCode} and
     * {@code toString} where it does not declare them. Calls are made to them (every {@code new T()} of a class
     * without constructors), so they are nodes of their type like the declared ones, marked {@code implicit}, on the
     * type's line (a record's accessor on its component's), with no parameter, annotation or throws of their own
     * beyond what the language gives them.
     */
    private void implicitMembers(TypeDeclaration<?> declaration, Visibility visibility, DeclaredType owner,
                                 Scope scope) {
        long line = firstLine(declaration);
        boolean hasConstructors = declaration.getMembers().stream()
            .anyMatch(m -> m instanceof ConstructorDeclaration || m instanceof CompactConstructorDeclaration);
        switch (declaration) {
            case ClassOrInterfaceDeclaration type when !type.isInterface() && !hasConstructors ->
                implicitConstructor(owner, visibility, new NodeList<>(), List.of(), line, scope);
            case EnumDeclaration type -> {
                if (!hasConstructors) {
                    implicitConstructor(owner, Visibility.PRIVATE, new NodeList<>(), List.of(), line, scope);
                }
                ClassOrInterfaceType self = new ClassOrInterfaceType(null, owner.name());
                implicitMethod(owner, "values", new NodeList<>(), List.of(), new ArrayType(self.clone()), true, line,
                    scope);
                implicitMethod(owner, "valueOf", new NodeList<>(new Parameter(javaLang("String"), "name")),
                    List.of("String"), self, true, line, scope);
            }
            case RecordDeclaration type -> {
                NodeList<Parameter> components = type.getParameters();
                implicitConstructor(owner, visibility, components,
                    TypeNames.erasedParameterTypes(components, scope.typeVariables()), line, scope);
                for (Parameter component : components) {
                    // String... labels: the accessor returns String[]
                    Type returned = component.isVarArgs() ? new ArrayType(component.getType().clone())
                        : component.getType();
                    implicitMethod(owner, component.getNameAsString(), new NodeList<>(), List.of(), returned, false,
                        firstLine(component), scope);
                }
                implicitMethod(owner, "equals", new NodeList<>(new Parameter(javaLang("Object"), "o")),
                    List.of("Object"), PrimitiveType.booleanType(), false, line, scope);
                implicitMethod(owner, "hashCode", new NodeList<>(), List.of(), PrimitiveType.intType(), false, line,
                    scope);
                implicitMethod(owner, "toString", new NodeList<>(), List.of(), javaLang("String"), false, line, scope);
            }
            default -> { }
        }
    }

    private void implicitConstructor(DeclaredType owner, Visibility visibility, NodeList<Parameter> parameters,
                                     List<String> parameterTypes, long line, Scope scope) {
        implicitCallable(owner, CONSTRUCTOR_NAME, parameters, parameterTypes, null, visibility, false, line, scope);
    }

    private void implicitMethod(DeclaredType owner, String name, NodeList<Parameter> parameters,
                                List<String> parameterTypes, Type returnType, boolean isStatic, long line, Scope scope) {
        implicitCallable(owner, name, parameters, parameterTypes, returnType, Visibility.PUBLIC, isStatic, line, scope);
    }

    /**
     * Skipped when the source declares one of that name whose parameter types have the same simple names (a record's
     * {@code Named(java.util.List<String> names)} is its canonical constructor; {@code values()} in an enum is code
     * javac rejects).
     *
     * @param parameterTypes as a declaration would write them, for the id: {@code String}, where the parameter's own
     *                       type is {@code java.lang.String}, so that a member type named String does not take its
     *                       place
     */
    private void implicitCallable(DeclaredType owner, String name, NodeList<Parameter> parameters,
                                  List<String> parameterTypes, Type returnType, Visibility visibility, boolean isStatic,
                                  long line, Scope scope) {
        if (declaredSignatures.contains(simpleSignature(owner, name, parameterTypes))) {
            return;
        }
        String id = NodeIds.method(owner.id(), name, parameterTypes);
        Map<String, Object> properties =
            methodProperties(name, parameterTypes, visibility, isStatic, /* isAbstract= */ false, line, line);
        properties.put("implicit", true);
        properties.put("cyclomaticComplexity", 1L);
        List<String> extraLabels = name.equals(CONSTRUCTOR_NAME) ? List.of(CONSTRUCTOR) : List.of();
        member(new GraphNode(METHOD, id, extraLabels, properties, /* shared= */ false), owner, line);
        if (returnType != null) {
            typeUse(RETURNS, METHOD, id, returnType, scope);
        }
        parameters(id, parameters, scope);
        // An empty body: a constructor's walk adds the super() javac inserts and the instance initializers.
        calls.callable(calls.entry(owner.fqn()), id, name, parameterTypes, parameters, returnType, new BlockStmt(),
            scope.typeVariables(), line);
    }

    /** The owner's id, the name and the parameter types' simple names: {@code …Named#<init>(List,String)}. */
    private static String simpleSignature(DeclaredType owner, String name, List<String> parameterTypes) {
        List<String> simple = parameterTypes.stream().map(type -> {
            int array = type.indexOf('[');
            String element = array < 0 ? type : type.substring(0, array);
            return element.substring(element.lastIndexOf('.') + 1) + (array < 0 ? "" : type.substring(array));
        }).toList();
        return NodeIds.method(owner.id(), name, simple);
    }

    /** {@code java.lang.String} written out. */
    private static ClassOrInterfaceType javaLang(String name) {
        return new ClassOrInterfaceType(new ClassOrInterfaceType(new ClassOrInterfaceType(null, "java"), "lang"), name);
    }

    /** The name of the type variable a type is ({@code T}, not {@code T[]} or {@code List<T>}), else null. */
    private static String typeVariable(Type type, Scope scope) {
        return type instanceof ClassOrInterfaceType classType && classType.getScope().isEmpty()
            && classType.getTypeArguments().isEmpty() && scope.typeVariables().containsKey(classType.getNameAsString())
            ? classType.getNameAsString() : null;
    }

    /** Parameters, thrown types and annotations of a method or constructor whose node was added as {@code id}. */
    private <D extends Node & NodeWithAnnotations<?> & NodeWithThrownExceptions<?>> void signature(
        D callable, NodeList<Parameter> parameters, String id, Scope scope) {
        if (id == null) {
            return;
        }
        annotations(METHOD, id, callable, scope);
        parameters(id, parameters, scope);
        for (ReferenceType thrown : callable.getThrownExceptions()) {
            typeUse(THROWS, METHOD, id, thrown, scope);
        }
    }

    /** A Parameter node for each parameter of the method {@code id}, with its type and annotations. */
    private void parameters(String id, NodeList<Parameter> parameters, Scope scope) {
        for (int index = 0; index < parameters.size(); index++) {
            Parameter parameter = parameters.get(index);
            String parameterId = NodeIds.parameter(id, index);
            String typeVariable = typeVariable(parameter.getType(), scope);
            nodes.putIfAbsent(new NodeKey(PARAMETER, parameterId), new GraphNode(PARAMETER, parameterId, List.of(),
                typeVariable == null ? Map.of("index", (long) index, "name", parameter.getNameAsString())
                    : Map.of("index", (long) index, "name", parameter.getNameAsString(), "typeVariable", typeVariable),
                /* shared= */ false));
            relate(HAS, METHOD, id, PARAMETER, parameterId);
            typeUse(OF_TYPE, PARAMETER, parameterId, parameter.getType(), scope);
            annotations(PARAMETER, parameterId, parameter, scope);
        }
    }

    private void method(MethodDeclaration method, DeclaredType owner, Scope outer) {
        Scope scope = outer.withTypeVariables(method.getTypeParameters());
        boolean inInterface = owner.kind().isInterfaceLike();
        // In an interface, a method without a body is abstract. Default, static and private methods are not, even
        // when (invalid) code leaves out their body.
        boolean isAbstract = inInterface
            ? method.getBody().isEmpty() && !method.isDefault() && !method.isStatic() && !method.isPrivate()
            : method.isAbstract();
        String id = callable(method, method.getNameAsString(),
            TypeNames.erasedParameterTypes(method.getParameters(), scope.typeVariables()),
            Visibility.of(method, inInterface ? Visibility.PUBLIC : Visibility.PACKAGE),
            method.isStatic(), isAbstract, owner);
        if (id != null) {
            typeUse(RETURNS, METHOD, id, method.getType(), scope);
            signature(method, method.getParameters(), id, scope);
            calls.callable(calls.entry(owner.fqn()), id, method.getNameAsString(),
                TypeNames.erasedParameterTypes(method.getParameters(), scope.typeVariables()), method.getParameters(),
                method.getType(), method.getBody().orElse(null), scope.typeVariables(), firstLine(method));
        }
    }

    /** @return the constructor's node id, or null when it repeats an earlier declaration */
    private <D extends Node & NodeWithModifiers<?>> String constructor(D constructor, List<String> parameterTypes,
                                                                     DeclaredType owner) {
        // An enum's constructors are private without saying so.
        Visibility implicit = owner.kind() == TypeKind.ENUM ? Visibility.PRIVATE : Visibility.PACKAGE;
        return callable(constructor, CONSTRUCTOR_NAME, parameterTypes, Visibility.of(constructor, implicit),
            /* isStatic= */ false, /* isAbstract= */ false, owner);
    }

    /** {@code String value() default ""} is a public abstract method of the annotation interface. */
    private String annotationMember(AnnotationMemberDeclaration member, DeclaredType owner) {
        return callable(member, member.getNameAsString(), List.of(), Visibility.PUBLIC,
            /* isStatic= */ false, /* isAbstract= */ true, owner);
    }

    /** The properties every Method node has, in a map that takes more. */
    private static Map<String, Object> methodProperties(String name, List<String> parameterTypes, Visibility visibility,
                                                        boolean isStatic, boolean isAbstract, long line, long endLine) {
        return new HashMap<>(Map.of(
            "name", name,
            "signature", NodeIds.signature(name, parameterTypes),
            "arity", (long) parameterTypes.size(),
            "visibility", visibility.value(),
            "static", isStatic,
            "abstract", isAbstract,
            "line", line,
            "endLine", endLine));
    }

    /** @return the node's id, or null when it repeats an earlier declaration */
    private String callable(Node declaration, String name, List<String> parameterTypes, Visibility visibility,
                            boolean isStatic, boolean isAbstract, DeclaredType owner) {
        Map<String, Object> properties = methodProperties(name, parameterTypes, visibility, isStatic, isAbstract,
            firstLine(declaration), lastLine(declaration));
        if (declaration instanceof NodeWithTypeParameters<?> generic && !generic.getTypeParameters().isEmpty()) {
            // A generic method's own type variables: a parameter typed with one of them is no wildcard for overrides.
            properties.put("typeParameters", generic.getTypeParameters().stream().map(TypeParameter::getNameAsString)
                .toList());
        }
        List<String> extraLabels = name.equals(CONSTRUCTOR_NAME) ? List.of(CONSTRUCTOR) : List.of();
        String id = NodeIds.method(owner.id(), name, parameterTypes);
        if (!member(new GraphNode(METHOD, id, extraLabels, properties, /* shared= */ false), owner,
            firstLine(declaration))) {
            return null;
        }
        declaredSignatures.add(simpleSignature(owner, name, parameterTypes));
        BlockStmt body = CyclomaticComplexity.body(declaration);
        if (body != null) {
            bodies.put(id, body);
        }
        return id;
    }

    /**
     * Adds {@code cyclomaticComplexity} to every method and constructor with a body: counted by the call collector
     * while it walks the bodies, else (a body whose calls were not collected) by a walk of its own.
     */
    private void addComplexities(Map<String, Long> counted) {
        for (Map.Entry<String, BlockStmt> body : bodies.entrySet()) {
            Long complexity = counted.get(body.getKey());
            if (complexity == null) {
                complexity = CyclomaticComplexity.count(body.getValue());
            }
            NodeKey key = new NodeKey(METHOD, body.getKey());
            GraphNode method = nodes.get(key);
            Map<String, Object> properties = new HashMap<>(method.properties());
            properties.put("cyclomaticComplexity", complexity);
            nodes.put(key, new GraphNode(METHOD, method.id(), method.extraLabels(), properties, method.shared()));
        }
    }

    /**
     * One node per variable of {@code int a, b[];}, each with its own type. Its line is the variable's, which for a
     * declaration spread over lines is where the name stands.
     */
    private void field(FieldDeclaration field, VariableDeclarator variable, DeclaredType owner, Scope scope) {
        boolean inInterface = owner.kind().isInterfaceLike(); // interface fields are constants: public static final
        String name = variable.getNameAsString();
        Map<String, Object> properties = Map.of(
            "name", name,
            "type", TypeNames.erased(variable.getType()),
            "visibility", Visibility.of(field, inInterface ? Visibility.PUBLIC : Visibility.PACKAGE).value(),
            "static", inInterface || field.isStatic(),
            "final", inInterface || field.isFinal(),
            "line", firstLine(variable));
        String id = NodeIds.field(owner.id(), name);
        if (member(new GraphNode(FIELD, id, List.of(), properties, /* shared= */ false), owner, firstLine(variable))) {
            typeUse(OF_TYPE, FIELD, id, variable.getType(), scope);
            annotations(FIELD, id, field, scope);
            CallCollector.TypeEntry entry = calls.entry(owner.fqn());
            calls.field(entry, name, variable.getType());
            if (!inInterface && !field.isStatic() && variable.getInitializer().isPresent()) {
                calls.instanceInitializer(entry, variable.getInitializer().get());
            }
        }
    }

    /** An enum constant is a public static final field of the enum's type. */
    private void enumConstant(EnumConstantDeclaration constant, DeclaredType owner) {
        String name = constant.getNameAsString();
        Map<String, Object> properties = Map.of(
            "name", name,
            "type", owner.name(),
            "visibility", Visibility.PUBLIC.value(),
            "static", true,
            "final", true,
            "line", firstLine(constant));
        String id = NodeIds.field(owner.id(), name);
        if (member(new GraphNode(FIELD, id, List.of(ENUM_CONSTANT), properties, /* shared= */ false), owner,
            firstLine(constant))) {
            calls.enumConstant(calls.entry(owner.fqn()), name);
            relationships.add(new GraphRelationship(OF_TYPE, FIELD, id, TYPE, owner.id(),
                Map.of("resolution", Resolution.EXACT.value())));
        }
    }

    /** A record component is the private final field javac generates for it (bytecode-based tools see that field). */
    private void recordComponent(Parameter component, DeclaredType owner, Scope scope) {
        String name = component.getNameAsString();
        Map<String, Object> properties = Map.of(
            "name", name,
            "type", TypeNames.erased(component),
            "visibility", Visibility.PRIVATE.value(),
            "static", false,
            "final", true,
            "line", firstLine(component));
        String id = NodeIds.field(owner.id(), name);
        if (member(new GraphNode(FIELD, id, List.of(), properties, /* shared= */ false), owner,
            firstLine(component))) {
            calls.field(calls.entry(owner.fqn()), name, component.getType());
            typeUse(OF_TYPE, FIELD, id, component.getType(), scope);
            annotations(FIELD, id, component, scope);
        }
    }

    private boolean member(GraphNode node, DeclaredType owner, long line) {
        if (add(node, line)) {
            relate(DECLARES, TYPE, owner.id(), node.label(), node.id());
            return true;
        }
        return false;
    }

    /** Adds the node unless one with its label and id is there already; then reports it and returns false. */
    private boolean add(GraphNode node, long line) {
        GraphNode first = nodes.putIfAbsent(new NodeKey(node.label(), node.id()), node);
        if (first != null) {
            problems.add(ParseProblems.of(
                "Duplicate " + node.label() + " declaration " + node.id() + " ignored; the first one is kept",
                (int) line));
            return false;
        }
        return true;
    }

    private void relate(String type, String fromLabel, String fromId, String toLabel, String toId) {
        relationships.add(new GraphRelationship(type, fromLabel, fromId, toLabel, toId, Map.of()));
    }

    private static long firstLine(Node node) {
        return node.getBegin().map(position -> (long) position.line).orElse(0L);
    }

    private static long lastLine(Node node) {
        return node.getEnd().map(position -> (long) position.line).orElse(0L);
    }

    private record NodeKey(String label, String id) {}

    /**
     * Where a reference stands: the type whose members are being collected, the canonical names of it and the types
     * around it (innermost first), the type variables in scope, and the owner's dependencies collected so far
     * (keyed by target, so each is emitted once).
     */
    private record Scope(DeclaredType owner, List<String> enclosing, Map<String, String> typeVariables,
                         Map<Object, NameResolver.Resolved> dependencies) {
        static final Scope NONE = new Scope(null, List.of(), Map.of(), Map.of());

        Scope inside(DeclaredType type, List<TypeParameter> typeParameters) {
            List<String> names = new ArrayList<>(enclosing.size() + 1);
            names.add(type.fqn());
            names.addAll(enclosing);
            return new Scope(type, List.copyOf(names), TypeNames.withTypeParameters(typeVariables, typeParameters),
                new LinkedHashMap<>());
        }

        /** The scope of the type's header: its type variables, but not its members. */
        Scope header() {
            return new Scope(owner, enclosing.subList(1, enclosing.size()), typeVariables, dependencies);
        }

        /** The same scope, with a generic method's or constructor's own type variables (name → erasure). */
        Scope withTypeVariables(NodeList<TypeParameter> typeParameters) {
            return new Scope(owner, enclosing, TypeNames.withTypeParameters(typeVariables, typeParameters),
                dependencies);
        }

        /** A dependency of the owner, unless it is the owner itself. */
        void dependOn(NameResolver.Resolved target) {
            switch (target) {
                case NameResolver.Resolved.Local local when local.id().equals(owner.id()) -> { }
                case NameResolver.Resolved.Local local -> dependencies.putIfAbsent(local.id(), target);
                case NameResolver.Resolved.Linked linked -> dependencies.putIfAbsent(linked.candidates(), target);
            }
        }
    }

    /** A type whose members are being collected. */
    private record DeclaredType(String id, String fqn, String binaryName, String name, TypeKind kind) {}

    /** Where a type is declared, which gives its names, the node that DECLARES it and its implicit modifiers. */
    private record Placement(String declarerLabel, String declarerId, String fqn, String binaryName, boolean member,
                             boolean inInterface) {

        static Placement topLevel(String fileId, String packageName, String name) {
            String qualifiedName = packageName.isEmpty() ? name : packageName + "." + name;
            return new Placement(FILE, fileId, qualifiedName, qualifiedName, /* member= */ false,
                /* inInterface= */ false);
        }

        /** A member type: {@code a.Outer.Inner} in source, {@code a.Outer$Inner} in bytecode. */
        static Placement member(DeclaredType enclosing, String name) {
            return new Placement(TYPE, enclosing.id(), enclosing.fqn() + "." + name,
                enclosing.binaryName() + "$" + name, /* member= */ true, enclosing.kind().isInterfaceLike());
        }
    }
}
