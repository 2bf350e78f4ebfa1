package io.ast2graph.parser;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The static types of the running JDK's public methods and fields, read by reflection, so that the receiver of a
 * chained call ({@code new StringBuilder().append(x).toString()}, {@code System.out.println()}) has a type without
 * a symbol solver. Classes are loaded without being initialised ({@code Class.forName(name, false, platform loader)}):
 * no JDK code runs.
 *
 * <p>An answer is given only when it is certain for the erased call: every public method of that name and arity
 * (varargs ones included when the arity fits) returns the same class once covariant overrides are merged; a type
 * variable or generic array anywhere among them makes the result unknown, as does a class that cannot be loaded.
 *
 * <p>Thread-safe; answers are cached once per JVM. The caches are bounded by the JDK itself: its classes, and per class
 * the names and arities the scanned code calls.
 */
final class JdkMembers {
    private static final JdkMembers SYSTEM = new JdkMembers();

    private final ConcurrentHashMap<String, Optional<Class<?>>> classes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Optional<Class<?>>> returnTypes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Optional<Class<?>>> fieldTypes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> objectsOwn = new ConcurrentHashMap<>();

    private JdkMembers() {}

    static JdkMembers system() {
        return SYSTEM;
    }

    /** The class with this binary name ({@code java.util.Map$Entry}), if the platform class loader has it. */
    Optional<Class<?>> type(String binaryName) {
        return classes.computeIfAbsent(binaryName, JdkMembers::load);
    }

    /** The erased return type of {@code name} called with {@code arity} arguments on the class, when certain. */
    Optional<Class<?>> returnType(String binaryName, String name, int arity) {
        String key = binaryName + '#' + name + '/' + arity;
        Optional<Class<?>> known = returnTypes.get(key); // computeIfAbsent locks a bin whose first node is not the key
        return known != null ? known
            : returnTypes.computeIfAbsent(key, k -> type(binaryName).flatMap(type -> returnTypeOf(type, name, arity)));
    }

    /** The erased type of the public field {@code name} of the class (its own or inherited), unless a type variable. */
    Optional<Class<?>> fieldType(String binaryName, String name) {
        return fieldTypes.computeIfAbsent(binaryName + '.' + name,
            key -> type(binaryName).flatMap(type -> fieldTypeOf(type, name)));
    }

    /**
     * Whether every public method {@code name} with {@code arity} parameters of the class is Object's own (the class
     * does not override it): javac then names {@code java.lang.Object} in the invoke instruction (JLS §13.1). Never
     * for an interface: javac names the interface ({@code invokeinterface List.toString}).
     */
    boolean isObjectsOwn(String binaryName, String name, int arity) {
        return objectsOwn.computeIfAbsent(binaryName + '#' + name + '/' + arity, key -> type(binaryName)
            .filter(type -> !type.isInterface())
            .map(type -> {
                List<Method> own = new ArrayList<>();
                collect(type.getMethods(), name, arity, own);
                List<Method> objects = new ArrayList<>();
                collect(Object.class.getMethods(), name, arity, objects);
                return !objects.isEmpty() && own.stream().allMatch(m -> m.getDeclaringClass() == Object.class);
            })
            .orElse(false));
    }

    private static Optional<Class<?>> load(String binaryName) {
        try {
            return Optional.of(Class.forName(binaryName, /* initialize= */ false,
                ClassLoader.getPlatformClassLoader()));
        } catch (ClassNotFoundException | LinkageError notLoadable) {
            // A JDK class outside the platform loader (jdk.compiler's are the application loader's) or one that
            // does not link: its members stay unknown, and calls on what they return are not collected.
            return Optional.empty();
        }
    }

    private static Optional<Class<?>> returnTypeOf(Class<?> type, String name, int arity) {
        List<Method> matching = new ArrayList<>();
        collect(type.getMethods(), name, arity, matching);
        if (type.isInterface()) {
            collect(Object.class.getMethods(), name, arity, matching); // an interface has Object's members (JLS 9.2)
        }
        // Per parameter list, the most specific return type (getMethods() may list a covariant override next to the
        // method it overrides); then every parameter list must agree.
        Map<List<Class<?>>, Class<?>> bySignature = new HashMap<>();
        for (Method method : matching) {
            Type generic = method.getGenericReturnType();
            if (generic instanceof TypeVariable<?> || generic instanceof GenericArrayType) {
                return Optional.empty();
            }
            Class<?> returned = method.getReturnType();
            Class<?> known = bySignature.putIfAbsent(List.of(method.getParameterTypes()), returned);
            if (known != null && known != returned) {
                if (known.isAssignableFrom(returned)) {
                    bySignature.put(List.of(method.getParameterTypes()), returned);
                } else if (!returned.isAssignableFrom(known)) {
                    return Optional.empty();
                }
            }
        }
        Set<Class<?>> results = new HashSet<>(bySignature.values());
        return results.size() == 1 ? Optional.of(results.iterator().next()) : Optional.empty();
    }

    private static void collect(Method[] methods, String name, int arity, List<Method> into) {
        for (Method method : methods) {
            if (method.isBridge() || !method.getName().equals(name)) {
                continue;
            }
            int count = method.getParameterCount();
            if (count == arity || (method.isVarArgs() && arity >= count - 1)) {
                into.add(method);
            }
        }
    }

    private static Optional<Class<?>> fieldTypeOf(Class<?> type, String name) {
        try {
            Field field = type.getField(name);
            Type generic = field.getGenericType();
            if (generic instanceof TypeVariable<?> || generic instanceof GenericArrayType) {
                return Optional.empty();
            }
            return Optional.of(field.getType());
        } catch (NoSuchFieldException | LinkageError notThere) {
            return Optional.empty(); // not a public field: an inherited non-public one, or a member type's name
        }
    }
}
