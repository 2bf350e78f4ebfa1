package io.ast2graph.parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The types of the JDK the parser runs on, so that references to them resolve exactly without a classpath: every
 * class of every system module, listed once per JVM from the run-time image ({@link ModuleFinder#ofSystem()}):
 * tens of thousands of names.
 *
 * <p>Local and anonymous classes ({@code Outer$1}, {@code Outer$1Local}) are left out: source cannot name them.
 * The JDK a worker runs on may differ from the one the scanned code targets; a type the code's JDK has and ours lacks
 * then resolves like any unknown name.
 */
final class JdkTypes {
    private static final JdkTypes SYSTEM = load();

    /** Canonical name → binary name. */
    private final Map<String, String> types;
    private final Set<String> packages;

    private JdkTypes(Map<String, String> types, Set<String> packages) {
        // Hash maps, not Map.copyOf: most lookups miss (candidate names the JDK lacks), and a miss in the immutable
        // maps' linear probing walks several slots; the parser looks up a few hundred names per file.
        this.types = new HashMap<>(types);
        this.packages = new HashSet<>(packages);
    }

    static JdkTypes system() {
        return SYSTEM;
    }

    /** The binary name of the JDK type with this canonical name ({@code java.util.Map.Entry}), if there is one. */
    Optional<String> binaryName(String fqn) {
        return Optional.ofNullable(types.get(fqn));
    }

    boolean isPackage(String name) {
        return packages.contains(name);
    }

    int size() {
        return types.size();
    }

    private static JdkTypes load() {
        Map<String, String> types = new HashMap<>();
        Set<String> packages = new HashSet<>();
        for (ModuleReference module : ModuleFinder.ofSystem().findAll()) {
            packages.addAll(module.descriptor().packages());
            try (ModuleReader reader = module.open(); Stream<String> resources = reader.list()) {
                resources.forEach(resource -> add(resource, types));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list the classes of JDK module " + module.descriptor().name(), e);
            }
        }
        return new JdkTypes(types, packages);
    }

    private static void add(String resource, Map<String, String> types) {
        if (!resource.endsWith(".class") || resource.endsWith("module-info.class")
            || resource.endsWith("package-info.class") || resource.startsWith("META-INF/")) {
            return;
        }
        String binaryName = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
        int firstDollar = binaryName.indexOf('$');
        if (firstDollar >= 0) {
            for (String member : binaryName.substring(firstDollar + 1).split("\\$", -1)) {
                if (member.isEmpty() || Character.isDigit(member.charAt(0))) {
                    return; // a local or anonymous class
                }
            }
        }
        types.put(binaryName.replace('$', '.'), binaryName);
    }
}
