package io.ast2graph.writer;

import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the running JDK's classes declare, for the call linker's placeholders: whether a JDK type, or a supertype of
 * it, has a method of a name and arity. Classes are looked up without being initialised, by reflection on public API
 * only. Thread-safe; answers are cached per JVM.
 */
final class JdkMethods {
    private static final Map<String, Boolean> ANSWERS = new ConcurrentHashMap<>();

    private JdkMethods() {}

    /** Whether the JDK knows the binary name at all. */
    static boolean isJdkType(String binaryName) {
        return load(binaryName) != null;
    }

    /** Whether the JDK type has (declares or inherits) a non-private method of that name taking that many arguments. */
    static boolean has(String binaryName, String name, int arity) {
        return ANSWERS.computeIfAbsent(binaryName + "#" + name + "/" + arity, key -> {
            Class<?> type = load(binaryName);
            return type != null && has(type, name, arity);
        });
    }

    private static boolean has(Class<?> type, String name, int arity) {
        if (name.equals("<init>")) {
            for (var constructor : type.getDeclaredConstructors()) {
                if (accepts(constructor, arity)) {
                    return true;
                }
            }
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (var method : c.getDeclaredMethods()) {
                if (method.getName().equals(name) && accepts(method, arity)) {
                    return true;
                }
            }
            for (Class<?> implemented : c.getInterfaces()) {
                if (has(implemented, name, arity)) {
                    return true;
                }
            }
        }
        return type.isInterface() && has(Object.class, name, arity);
    }

    private static boolean accepts(Executable executable, int arity) {
        return !Modifier.isPrivate(executable.getModifiers()) && !executable.isSynthetic()
            && (executable.getParameterCount() == arity
                || executable.isVarArgs() && arity >= executable.getParameterCount() - 1);
    }

    private static Class<?> load(String binaryName) {
        try {
            return Class.forName(binaryName, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // not a JDK type: a library's, or a name no class has
        }
    }
}
