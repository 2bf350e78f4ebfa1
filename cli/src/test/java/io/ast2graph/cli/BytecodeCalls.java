package io.ast2graph.cli;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The calls a jar's compiled classes make, read from their invoke instructions with ASM, as
 * {@code callerClass#callerName -> declaringClass#name/arity}, and the same key for the graph's {@code INVOKES} edges,
 * so that the two compare. The rules (also in {@code docs/correctness.md}):
 * <ul>
 *   <li>The callee is named by the class that <em>declares</em> the method the instruction resolves to (JVMS
 *       §5.4.3.3: the instruction's owner, then its superclasses, then its superinterfaces), found in the jar's classes
 *       and, for the JDK, by reflection on the running JDK. The graph names the declaration, the instruction the static
 *       receiver type: resolving both sides makes {@code sb.length()} (owner StringBuilder) and the graph's
 *       AbstractStringBuilder.length() the same call.</li>
 *   <li>Callers by class and method name, not arity: a lambda's body is a synthetic {@code lambda$name$N}, which names
 *       its enclosing method but not its parameters; its calls are the enclosing method's. {@code lambda$static$N} and
 *       {@code <clinit>} are left out (static initialisers have no node), {@code lambda$new$N} belongs to the
 *       constructors.</li>
 *   <li>Left out: callers that are synthetic or bridge methods, in local or anonymous classes, or an enum's
 *       {@code values()} and {@code valueOf(String)} (the graph has them, implicit, but not the calls javac writes
 *       into them: they have no source); {@code invokedynamic} (method references, lambdas, string concatenation on
 *       9+, a record's {@code equals}, {@code hashCode} and {@code toString}); calls on arrays ({@code clone()}).
 *       The other implicit members' calls count: a default constructor's {@code super()} and instance
 *       initializers, a canonical constructor's {@code Record()}.</li>
 *   <li>{@code access$NNN} (Java 8 targets reach private members of nested classes through them) stands for the calls
 *       its body makes; a call to a synthetic constructor (the private-constructor accessor with an extra anonymous
 *       class parameter) is a call to the real one. An inner class's and an enum's constructors count their arity
 *       without the implicit leading parameters, as {@link BytecodeFacts} does.</li>
 *   <li>Calls javac makes where the source makes none are left out on both sides: string concatenation's
 *       {@code StringBuilder} {@code <init>/append/toString} (Java 8 targets), boxing and unboxing
 *       ({@code Integer.valueOf}, {@code intValue()}, ...), the enhanced {@code for}'s {@code iterator/hasNext/next},
 *       a string {@code switch}'s {@code String.hashCode}, try-with-resources' {@code Throwable.addSuppressed}, and the
 *       null checks {@code Objects.requireNonNull} and {@code Object.getClass} javac inserts.</li>
 * </ul>
 */
final class BytecodeCalls {
    private static final Set<String> BOXES = Set.of("java.lang.Integer", "java.lang.Long", "java.lang.Short",
        "java.lang.Byte", "java.lang.Character", "java.lang.Boolean", "java.lang.Float", "java.lang.Double");
    private static final Set<String> UNBOXING = Set.of("intValue", "longValue", "shortValue", "byteValue", "charValue",
        "booleanValue", "floatValue", "doubleValue");

    private final Map<String, ClassNode> classes = new HashMap<>();
    private final Map<String, Boolean> innerClasses = new HashMap<>();
    private final Map<String, Optional<String>> declarations = new HashMap<>();

    static BytecodeCalls read(Path jar) throws IOException {
        BytecodeCalls calls = new BytecodeCalls();
        BytecodeFacts.forEachClass(jar, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES,
            node -> calls.classes.put(node.name, node));
        calls.classes.values().forEach(node -> calls.innerClasses.put(node.name, isInner(node)));
        return calls;
    }

    private static boolean isInner(ClassNode node) {
        boolean isInterface = (node.access & Opcodes.ACC_INTERFACE) != 0;
        boolean isEnum = (node.access & Opcodes.ACC_ENUM) != 0;
        for (InnerClassNode inner : node.innerClasses) {
            if (inner.name.equals(node.name) && inner.outerName != null) {
                return (inner.access & Opcodes.ACC_STATIC) == 0 && !isInterface && !isEnum && node.recordComponents == null;
            }
        }
        return false;
    }

    /** @return the calls, each once */
    List<String> calls() {
        Set<String> keys = new TreeSet<>();
        for (ClassNode node : classes.values()) {
            String binaryName = node.name.replace('/', '.');
            if (BytecodeFacts.isLocalOrAnonymous(binaryName) || (node.access & Opcodes.ACC_SYNTHETIC) != 0) {
                continue;
            }
            for (MethodNode method : node.methods) {
                String caller = callerName(node, method);
                if (caller == null) {
                    continue;
                }
                for (MethodInsnNode call : invokes(method, 0)) {
                    String callee = callee(call);
                    // Calls of members the graph cannot have: those of local and anonymous classes
                    // (new Runnable() { … } calls Outer$1.<init>).
                    if (callee != null && !BytecodeFacts.isLocalOrAnonymous(callee.substring(0, callee.indexOf('#')))) {
                        keys.add(binaryName + "#" + caller + " -> " + callee);
                    }
                }
            }
        }
        return List.copyOf(keys);
    }

    /** The source method a bytecode method's calls belong to, or null when they belong to none in the graph. */
    private String callerName(ClassNode owner, MethodNode method) {
        if ((method.access & Opcodes.ACC_BRIDGE) != 0 || method.name.equals("<clinit>")) {
            return null;
        }
        if (method.name.startsWith("lambda$")) {
            String[] parts = method.name.split("\\$");
            if (parts.length < 3 || parts[1].equals("static")) {
                return null;
            }
            return parts[1].equals("new") ? "<init>" : parts[1];
        }
        if ((method.access & Opcodes.ACC_SYNTHETIC) != 0) {
            return null;
        }
        int arity = Type.getArgumentCount(method.desc);
        boolean isEnum = (owner.access & Opcodes.ACC_ENUM) != 0;
        if (isEnum && (method.access & Opcodes.ACC_STATIC) != 0
            && (method.name.equals("values") && arity == 0 || method.name.equals("valueOf") && arity == 1)) {
            return null; // implicit: javac's body, not the source's
        }
        return method.name;
    }

    /** The method's invoke instructions, with each call to an {@code access$} accessor replaced by the accessor's. */
    private List<MethodInsnNode> invokes(MethodNode method, int depth) {
        List<MethodInsnNode> result = new ArrayList<>();
        for (AbstractInsnNode instruction : method.instructions) {
            if (!(instruction instanceof MethodInsnNode call)) {
                continue;
            }
            ClassNode owner = classes.get(call.owner);
            if (call.name.startsWith("access$") && owner != null && depth < 3) {
                owner.methods.stream().filter(m -> m.name.equals(call.name) && m.desc.equals(call.desc)).findFirst()
                    .ifPresent(accessor -> result.addAll(invokes(accessor, depth + 1)));
            } else {
                result.add(call);
            }
        }
        return result;
    }

    /** {@code declaringClass#name/arity} of an instruction's method, or null for a call javac made up. */
    private String callee(MethodInsnNode call) {
        if (call.owner.startsWith("[")) {
            return null; // a method of an array type: clone()
        }
        String owner = call.owner.replace('/', '.');
        int arity = Type.getArgumentCount(call.desc);
        if (call.name.equals("<init>")) {
            ClassNode node = classes.get(call.owner);
            if (node != null) {
                boolean synthetic = node.methods.stream().anyMatch(m -> m.name.equals("<init>") && m.desc.equals(call.desc)
                    && (m.access & Opcodes.ACC_SYNTHETIC) != 0);
                arity -= (synthetic ? 1 : 0) + ((node.access & Opcodes.ACC_ENUM) != 0 ? 2
                    : innerClasses.getOrDefault(call.owner, false) ? 1 : 0);
            }
            return isGenerated(owner, call.name) ? null : owner + "#<init>/" + arity;
        }
        return key(owner, call.name, arity);
    }

    /**
     * {@code declaringClass#name/declaredArity} of a call of {@code name} with {@code arity} arguments on
     * {@code owner}, or null for a call javac made up; the owner itself when the declaration is not found.
     */
    String key(String owner, String name, int arity) {
        if (name.equals("<init>")) {
            // Constructors are not inherited: no lookup up the hierarchy, which would take an inner class's
            // <init>/0 (its bytecode has the outer instance as a parameter) for its superclass's.
            return isGenerated(owner, name) ? null : owner + "#<init>/" + arity;
        }
        String declaration = declaration(owner, name, arity).orElse(owner + "#" + name + "/" + arity);
        return isGenerated(declaration.substring(0, declaration.indexOf('#')), name) ? null : declaration;
    }

    /** Calls javac compiles into code that does not make them (the rules above); applied to both sides. */
    static boolean isGenerated(String declaringClass, String name) {
        return declaringClass.equals("java.lang.StringBuilder") && Set.of("<init>", "append", "toString").contains(name)
            || declaringClass.equals("java.lang.AbstractStringBuilder") && name.equals("append")
            || BOXES.contains(declaringClass) && name.equals("valueOf")
            || (BOXES.contains(declaringClass) || declaringClass.equals("java.lang.Number")) && UNBOXING.contains(name)
            || Set.of("iterator", "hasNext", "next").contains(name)
                && (declaringClass.startsWith("java.util.") || declaringClass.equals("java.lang.Iterable"))
            || declaringClass.equals("java.lang.String") && name.equals("hashCode")
            || declaringClass.equals("java.lang.Throwable") && name.equals("addSuppressed")
            || declaringClass.equals("java.util.Objects") && name.equals("requireNonNull")
            || declaringClass.equals("java.lang.Object") && name.equals("getClass");
    }

    /**
     * The declaration a call on {@code owner} resolves to, as {@code class#name/arity}: the jar's classes by their
     * methods, the JDK's by reflection; a varargs method also takes more arguments. Empty when neither knows it.
     */
    private Optional<String> declaration(String owner, String name, int arity) {
        return declarations.computeIfAbsent(owner + "#" + name + "/" + arity, k -> resolve(owner, name, arity, 0));
    }

    private Optional<String> resolve(String owner, String name, int arity, int depth) {
        if (depth > 20) {
            return Optional.empty();
        }
        ClassNode node = classes.get(owner.replace('.', '/'));
        if (node != null) {
            for (MethodNode method : node.methods) {
                int declared = Type.getArgumentCount(method.desc);
                if (method.name.equals(name) && (method.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0
                    && (declared == arity || (method.access & Opcodes.ACC_VARARGS) != 0 && arity >= declared - 1)) {
                    return Optional.of(owner + "#" + name + "/" + declared);
                }
            }
            List<String> supertypes = new ArrayList<>();
            if (node.superName != null) {
                supertypes.add(node.superName.replace('/', '.'));
            }
            node.interfaces.forEach(i -> supertypes.add(i.replace('/', '.')));
            for (String supertype : supertypes) {
                Optional<String> found = resolve(supertype, name, arity, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }
        return jdkDeclaringClass(owner, name, arity);
    }

    private static Optional<String> jdkDeclaringClass(String owner, String name, int arity) {
        Class<?> type;
        try {
            type = Class.forName(owner, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty(); // neither the jar's nor the JDK's: a library the jar depends on
        }
        return jdkResolve(type, name, arity);
    }

    private static Optional<String> jdkResolve(Class<?> type, String name, int arity) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.getName().equals(name) && !method.isSynthetic() && !method.isBridge()
                    && (method.getParameterCount() == arity || method.isVarArgs() && arity >= method.getParameterCount() - 1)
                    && !Modifier.isPrivate(method.getModifiers())) {
                    return Optional.of(c.getName() + "#" + name + "/" + method.getParameterCount());
                }
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> implemented : c.getInterfaces()) {
                Optional<String> found = jdkResolve(implemented, name, arity);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
