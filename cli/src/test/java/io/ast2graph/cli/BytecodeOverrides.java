package io.ast2graph.cli;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which methods override which, as a jar's compiled classes say, as {@code class#name/arity -> class#name/arity}:
 * the graph's {@code OVERRIDES} rule applied to the JVM's facts. The rules (also in {@code docs/correctness.md}):
 * <ul>
 *   <li>An instance method that is not private, not a constructor and not synthetic overrides, on each path up its
 *       class's superclass and superinterfaces <em>within the jar</em>, the nearest method with the same parameter
 *       descriptor that is neither private nor static; a package-private one only from the same package (JVMS
 *       §5.4.5).</li>
 *   <li>A bridge method javac generates stands for the source method of the same name and arity in its class: the
 *       descriptors it matches are that method's too ({@code compareTo(Shape)} overrides {@code compareTo(Object)} of
 *       a generic supertype through its bridge).</li>
 *   <li>Local and anonymous classes are left out, as in {@link BytecodeFacts}.</li>
 * </ul>
 */
final class BytecodeOverrides {
    /** Per class: the descriptors' parameter parts of its overridable methods → the method's key. */
    private final Map<String, Map<String, Candidate>> declared = new HashMap<>();
    private final Map<String, List<String>> supertypes = new HashMap<>();
    private final List<String> classes = new ArrayList<>();

    /** A method as the comparison names it ({@code key}) and as the JVM does ({@code exact}: with descriptor). */
    private record Candidate(String key, String exact, boolean packagePrivate, boolean overridable) {}

    static List<String> read(Path jar) throws IOException {
        BytecodeOverrides facts = new BytecodeOverrides();
        BytecodeFacts.forEachClass(jar, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES,
            facts::add);
        return facts.overrides();
    }

    private void add(ClassNode node) {
        String name = node.name;
        List<String> supers = new ArrayList<>();
        if (node.superName != null && (node.access & Opcodes.ACC_INTERFACE) == 0) {
            supers.add(node.superName);
        }
        supers.addAll(node.interfaces);
        supertypes.put(name, supers);
        if (!BytecodeFacts.isLocalOrAnonymous(name.replace('/', '.')) && (node.access & Opcodes.ACC_SYNTHETIC) == 0) {
            classes.add(name);
        }
        Map<String, String> sourceMethods = new HashMap<>(); // name/arity → key, for the bridges
        Map<String, String> sourceDescriptors = new HashMap<>();
        for (MethodNode method : node.methods) {
            if ((method.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0) {
                sourceMethods.putIfAbsent(method.name + "/" + Type.getArgumentCount(method.desc), key(name, method));
                sourceDescriptors.putIfAbsent(method.name + "/" + Type.getArgumentCount(method.desc), method.desc);
            }
        }
        Map<String, Candidate> methods = new HashMap<>();
        for (MethodNode method : node.methods) {
            if (method.name.startsWith("<")) {
                continue;
            }
            boolean bridge = (method.access & Opcodes.ACC_BRIDGE) != 0;
            boolean synthetic = (method.access & Opcodes.ACC_SYNTHETIC) != 0;
            String key = bridge ? sourceMethods.get(method.name + "/" + Type.getArgumentCount(method.desc))
                : synthetic ? null : key(name, method);
            if (key == null) {
                continue;
            }
            boolean overridable = (method.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) == 0;
            boolean packagePrivate = (method.access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) == 0;
            // A bridge's exact name is its source method's, so that both count as one method's edge.
            String exact = bridge ? key + sourceDescriptors.get(method.name + "/" + Type.getArgumentCount(method.desc))
                : key + method.desc;
            methods.putIfAbsent(method.name + parameters(method.desc),
                new Candidate(key, exact, packagePrivate, overridable));
        }
        declared.put(name, methods);
    }

    private static String key(String owner, MethodNode method) {
        return owner.replace('/', '.') + "#" + method.name + "/" + Type.getArgumentCount(method.desc);
    }

    private static String parameters(String descriptor) {
        return descriptor.substring(0, descriptor.indexOf(')') + 1);
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    /** One entry per pair of methods (overloads of one name and arity count apart, as the graph's edges do). */
    private List<String> overrides() {
        Map<String, String> edges = new java.util.TreeMap<>(); // exact pair → compared pair
        for (String type : classes) {
            for (var method : declared.get(type).entrySet()) {
                Candidate own = method.getValue();
                if (!own.overridable()) {
                    continue;
                }
                String signature = method.getKey();
                Deque<String> pending = new ArrayDeque<>(supertypes.get(type));
                Set<String> visited = new HashSet<>();
                while (!pending.isEmpty()) {
                    String supertype = pending.pop();
                    if (!visited.add(supertype) || !declared.containsKey(supertype)) {
                        continue; // outside the jar: the path ends
                    }
                    Candidate found = declared.get(supertype).get(signature);
                    boolean overrides = found != null && found.overridable()
                        && (!found.packagePrivate() || packageOf(supertype).equals(packageOf(type)));
                    if (overrides) {
                        edges.put(own.exact() + " -> " + found.exact(), own.key() + " -> " + found.key());
                    } else {
                        supertypes.get(supertype).forEach(pending::push);
                    }
                }
            }
        }
        return List.copyOf(edges.values());
    }
}
