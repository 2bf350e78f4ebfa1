package io.ast2graph.parser;

import static io.ast2graph.parser.GraphVocabulary.CONSTRUCTOR;
import static io.ast2graph.parser.GraphVocabulary.CONTAINS;
import static io.ast2graph.parser.GraphVocabulary.DECLARES;
import static io.ast2graph.parser.GraphVocabulary.ENUM_CONSTANT;
import static io.ast2graph.parser.GraphVocabulary.FIELD;
import static io.ast2graph.parser.GraphVocabulary.FILE;
import static io.ast2graph.parser.GraphVocabulary.METHOD;
import static io.ast2graph.parser.GraphVocabulary.PACKAGE;
import static io.ast2graph.parser.GraphVocabulary.TYPE;

import com.github.javaparser.ast.CompilationUnit;
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
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.nodeTypes.NodeWithModifiers;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.NodeIds;
import io.ast2graph.common.model.ParseProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the declarations of one compilation unit into nodes and relationships of jQAssistant's Java vocabulary: the
 * file's {@code Package}, every {@code Type} declared at top level or as a member (with one kind label: Class,
 * Interface, Enum, Record, Annotation), and each type's {@code Method}s (constructors also {@code Constructor}),
 * annotation members (as methods), {@code Field}s, enum constants (fields also {@code EnumConstant}) and record
 * components (the private final fields javac generates for them).
 *
 * <p>It emits what the source declares, nothing javac adds: no default constructors, no {@code values()}, no record
 * accessors or canonical constructor unless written. It does not look into method bodies and initializers, so local
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
    record Declarations(List<GraphNode> nodes, List<GraphRelationship> relationships, List<ParseProblem> problems) {
        static final Declarations NONE = new Declarations(List.of(), List.of(), List.of());

        Declarations {
            nodes = List.copyOf(nodes);
            relationships = List.copyOf(relationships);
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
    private final List<ParseProblem> problems = new ArrayList<>();

    private DeclarationCollector(String repo, String path, String fileId, String packageName) {
        this.repo = repo;
        this.fileId = fileId;
        this.packageName = packageName;
        this.sourceRoot = SourceRoot.of(path, packageName);
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        this.implicitClassName = fileName.endsWith(".java") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }

    /**
     * @param unit   a parsed file, possibly only partly recovered from syntax errors
     * @param path   the file's repository-relative path, which gives the types' source root
     * @param fileId the id of the File node that declares the top-level types
     */
    static Declarations collect(CompilationUnit unit, String repo, String path, String fileId) {
        if (unit.getModule().isPresent()) {
            return Declarations.NONE; // module-info.java: only its File node until modules get their own nodes
        }
        if (unit.getPackageDeclaration().isEmpty() && unit.getTypes().isEmpty()) {
            // An empty file, or one JavaParser could not recover anything from (it then returns an empty unit and
            // loses the package declaration too): claiming the default package would be a guess.
            return Declarations.NONE;
        }
        String packageName = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
        DeclarationCollector collector = new DeclarationCollector(repo, path, fileId, packageName);
        collector.packageNode();
        for (TypeDeclaration<?> type : unit.getTypes()) {
            collector.type(type, Placement.topLevel(fileId, packageName, collector.simpleName(type)));
        }
        return new Declarations(List.copyOf(collector.nodes.values()), collector.relationships, collector.problems);
    }

    /** The default package too is a node (fqn ""), so that every type has a CONTAINS. */
    private void packageNode() {
        String name = packageName.substring(packageName.lastIndexOf('.') + 1);
        add(new GraphNode(PACKAGE, NodeIds.pkg(packageName), List.of(), Map.of("fqn", packageName, "name", name),
            /* shared= */ true), 0);
    }

    private void type(TypeDeclaration<?> declaration, Placement placement) {
        TypeKind kind = TypeKind.of(declaration);
        String name = simpleName(declaration);
        String id = NodeIds.type(repo, sourceRoot, placement.binaryName());
        Map<String, Object> properties = Map.of(
            "fqn", placement.fqn(),
            "binaryName", placement.binaryName(),
            "name", name,
            "sourceRoot", sourceRoot,
            "visibility", Visibility.of(declaration, placement.inInterface() ? Visibility.PUBLIC : Visibility.PACKAGE)
                .value(),
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
        // Enum constants and record components come before the body's members in the source.
        switch (declaration) {
            case EnumDeclaration enumDeclaration -> enumDeclaration.getEntries().forEach(c -> enumConstant(c, owner));
            case RecordDeclaration recordDeclaration ->
                recordDeclaration.getParameters().forEach(c -> recordComponent(c, owner));
            default -> { }
        }
        for (BodyDeclaration<?> member : declaration.getMembers()) {
            member(member, owner, declaration);
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

    private void member(BodyDeclaration<?> member, DeclaredType owner, TypeDeclaration<?> ownerDeclaration) {
        switch (member) {
            case FieldDeclaration field -> field.getVariables().forEach(variable -> field(field, variable, owner));
            case MethodDeclaration method -> method(method, owner);
            case ConstructorDeclaration constructor ->
                constructor(constructor, TypeNames.erasedParameterTypes(constructor.getParameters()), owner);
            case CompactConstructorDeclaration constructor
                when ownerDeclaration instanceof RecordDeclaration recordDeclaration ->
                // The compact form declares the canonical constructor: its parameters are the record components.
                constructor(constructor, TypeNames.erasedParameterTypes(recordDeclaration.getParameters()), owner);
            case AnnotationMemberDeclaration annotationMember -> annotationMember(annotationMember, owner);
            case TypeDeclaration<?> memberType ->
                type(memberType, Placement.member(owner, simpleName(memberType)));
            default -> { } // initializer blocks: no node in the vocabulary
        }
    }

    private void method(MethodDeclaration method, DeclaredType owner) {
        boolean inInterface = owner.kind().isInterfaceLike();
        // In an interface, a method without a body is abstract. Default, static and private methods are not, even
        // when (invalid) code leaves out their body.
        boolean isAbstract = inInterface
            ? method.getBody().isEmpty() && !method.isDefault() && !method.isStatic() && !method.isPrivate()
            : method.isAbstract();
        callable(method, method.getNameAsString(), TypeNames.erasedParameterTypes(method.getParameters()),
            Visibility.of(method, inInterface ? Visibility.PUBLIC : Visibility.PACKAGE),
            method.isStatic(), isAbstract, owner);
    }

    private <D extends Node & NodeWithModifiers<?>> void constructor(D constructor, List<String> parameterTypes,
                                                                     DeclaredType owner) {
        // An enum's constructors are private without saying so.
        Visibility implicit = owner.kind() == TypeKind.ENUM ? Visibility.PRIVATE : Visibility.PACKAGE;
        callable(constructor, CONSTRUCTOR_NAME, parameterTypes, Visibility.of(constructor, implicit),
            /* isStatic= */ false, /* isAbstract= */ false, owner);
    }

    /** {@code String value() default ""} is a public abstract method of the annotation interface. */
    private void annotationMember(AnnotationMemberDeclaration member, DeclaredType owner) {
        callable(member, member.getNameAsString(), List.of(), Visibility.PUBLIC,
            /* isStatic= */ false, /* isAbstract= */ true, owner);
    }

    private void callable(Node declaration, String name, List<String> parameterTypes, Visibility visibility,
                          boolean isStatic, boolean isAbstract, DeclaredType owner) {
        Map<String, Object> properties = Map.of(
            "name", name,
            "signature", NodeIds.signature(name, parameterTypes),
            "arity", (long) parameterTypes.size(),
            "visibility", visibility.value(),
            "static", isStatic,
            "abstract", isAbstract,
            "line", firstLine(declaration),
            "endLine", lastLine(declaration));
        List<String> extraLabels = name.equals(CONSTRUCTOR_NAME) ? List.of(CONSTRUCTOR) : List.of();
        member(new GraphNode(METHOD, NodeIds.method(owner.id(), name, parameterTypes), extraLabels, properties,
            /* shared= */ false), owner, firstLine(declaration));
    }

    /**
     * One node per variable of {@code int a, b[];}, each with its own type. Its line is the variable's, which for a
     * declaration spread over lines is where the name stands.
     */
    private void field(FieldDeclaration field, VariableDeclarator variable, DeclaredType owner) {
        boolean inInterface = owner.kind().isInterfaceLike(); // interface fields are constants: public static final
        String name = variable.getNameAsString();
        Map<String, Object> properties = Map.of(
            "name", name,
            "type", TypeNames.erased(variable.getType()),
            "visibility", Visibility.of(field, inInterface ? Visibility.PUBLIC : Visibility.PACKAGE).value(),
            "static", inInterface || field.isStatic(),
            "final", inInterface || field.isFinal(),
            "line", firstLine(variable));
        member(new GraphNode(FIELD, NodeIds.field(owner.id(), name), List.of(), properties, /* shared= */ false),
            owner, firstLine(variable));
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
        member(new GraphNode(FIELD, NodeIds.field(owner.id(), name), List.of(ENUM_CONSTANT), properties,
            /* shared= */ false), owner, firstLine(constant));
    }

    /** A record component is the private final field javac generates for it (bytecode-based tools see that field). */
    private void recordComponent(Parameter component, DeclaredType owner) {
        String name = component.getNameAsString();
        Map<String, Object> properties = Map.of(
            "name", name,
            "type", TypeNames.erased(component),
            "visibility", Visibility.PRIVATE.value(),
            "static", false,
            "final", true,
            "line", firstLine(component));
        member(new GraphNode(FIELD, NodeIds.field(owner.id(), name), List.of(), properties, /* shared= */ false),
            owner, firstLine(component));
    }

    private void member(GraphNode node, DeclaredType owner, long line) {
        if (add(node, line)) {
            relate(DECLARES, TYPE, owner.id(), node.label(), node.id());
        }
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
