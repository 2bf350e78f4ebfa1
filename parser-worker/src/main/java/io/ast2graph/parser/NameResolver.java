package io.ast2graph.parser;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the type names of one compilation unit as far as the file and the JDK allow, in the order the language
 * looks them up (JLS §6.4.1, §7.5): types declared in the file (members of the enclosing types, innermost first, then
 * the file's top-level types) > single-type imports > the file's package > on-demand imports > {@code java.lang}.
 *
 * <p>A name the file settles (declared in it) resolves to the node id of its declaration. Any other name resolves to
 * candidates for the writer's link step, which knows every declaration of the scan: the same-package type may be
 * declared in another file, an on-demand import may name a project package. A candidate is {@code certain} when no
 * other file can change the answer (a single-type import, a fully qualified name, a JDK type no earlier candidate
 * can shadow); candidates after a certain one are dropped.
 *
 * <p>Not resolved yet: member types inherited from supertypes, single-static imports of member types, local and
 * anonymous classes (their names resolve like unknown names).
 */
final class NameResolver {

    /** What a type name resolves to: a declaration of the same file, or candidates for the link step. */
    sealed interface Resolved {
        /** Declared in the same file. */
        record Local(String id, String fqn) implements Resolved {}

        /** Candidates for the link step, in lookup order; one of them is the fallback. */
        record Linked(List<Candidate> candidates) implements Resolved {}
    }

    /** A type declared in the file. */
    record LocalType(String id, String fqn, String binaryName) {}

    private final String packageName;
    private final JdkTypes jdk;
    /** Canonical name → declaration, for every type the file declares. */
    private final Map<String, LocalType> localTypes;
    /** Simple name → canonical name of single-type imports. */
    private final Map<String, String> singleImports = new java.util.LinkedHashMap<>();
    /** Packages and types imported on demand, in source order. */
    private final List<String> onDemandImports = new ArrayList<>();
    /** The static imports, in source order. */
    private final List<StaticImport> staticImports = new ArrayList<>();
    /**
     * What each name resolved to, by the name's segments and the enclosing types: a file names the same few types
     * over and over ({@code String}, {@code List}, its own), and looking one up builds candidate names each time.
     */
    private final Map<Lookup, Resolved> resolved = new HashMap<>();

    private record Lookup(List<String> segments, List<String> enclosingTypes) {}

    /**
     * A static import: {@code import static a.B.m;} imports member {@code m} of type {@code a.B}, {@code import
     * static a.B.*;} all of its static members ({@code member} is null).
     */
    record StaticImport(String type, String member) {
        boolean onDemand() {
            return member == null;
        }
    }

    NameResolver(CompilationUnit unit, String packageName, Map<String, LocalType> localTypes, JdkTypes jdk) {
        this.packageName = packageName;
        this.localTypes = localTypes;
        this.jdk = jdk;
        for (ImportDeclaration imported : unit.getImports()) {
            String name = imported.getNameAsString();
            if (imported.isStatic()) {
                // import static a.B.*; names the type, import static a.B.m; names the type and a member.
                int dot = name.lastIndexOf('.');
                if (imported.isAsterisk()) {
                    staticImports.add(new StaticImport(name, null));
                } else if (dot > 0) {
                    staticImports.add(new StaticImport(name.substring(0, dot), name.substring(dot + 1)));
                }
            }
            if (imported.isAsterisk()) {
                // import a.b.* and import static a.b.C.* both make member types of what they name visible.
                onDemandImports.add(name);
            } else if (!imported.isStatic()) {
                singleImports.putIfAbsent(name.substring(name.lastIndexOf('.') + 1), name);
            }
        }
    }

    /** The single-type imports: canonical names in source order. */
    List<String> singleTypeImports() {
        return List.copyOf(new java.util.LinkedHashSet<>(singleImports.values()));
    }

    /** The file's static imports, in source order. */
    List<StaticImport> staticImports() {
        return List.copyOf(staticImports);
    }

    /** The types whose members the file imports statically: canonical names in source order, each once. */
    List<String> staticallyImportedTypes() {
        return staticImports.stream().map(StaticImport::type).distinct().toList();
    }

    /** A canonical name as a certain candidate: the declaration of the file, else the link step's. */
    Resolved ofCanonicalName(String fqn, Resolution resolution) {
        LocalType local = localTypes.get(fqn);
        if (local != null) {
            return new Resolved.Local(local.id(), fqn);
        }
        return new Resolved.Linked(List.of(certain(fqn, resolution, /* fallback= */ true)));
    }

    /**
     * The resolved type as candidates for the link step: a type of the file as its one certain, exact candidate.
     */
    List<Candidate> candidates(Resolved resolved) {
        return switch (resolved) {
            case Resolved.Local local -> {
                LocalType type = localTypes.get(local.fqn());
                String binaryName = type != null ? type.binaryName() : guessBinaryName(local.fqn());
                yield List.of(new Candidate(local.fqn(), binaryName, Resolution.EXACT, /* certain= */ true,
                    /* fallback= */ true));
            }
            case Resolved.Linked linked -> linked.candidates();
        };
    }

    /**
     * The binary name of the JDK type a name most likely means: its first certain candidate, when the JDK has it.
     * Earlier candidates (a same-package type of that name declared in another file) are taken not to exist, which
     * only matters for code that shadows JDK names.
     */
    String jdkBinaryName(Resolved resolved) {
        if (resolved instanceof Resolved.Linked linked) {
            for (Candidate candidate : linked.candidates()) {
                if (candidate.certain()) {
                    return jdk.binaryName(candidate.fqn()).orElse(null);
                }
            }
        }
        return null;
    }

    /** Whether the file declares a type of this canonical name. */
    boolean isLocal(String fqn) {
        return localTypes.containsKey(fqn);
    }

    /**
     * @param type           a class or interface type as written, without its type arguments mattering
     * @param enclosingTypes canonical names of the types around the reference, innermost first
     * @param typeVariables  type variables in scope: a name among them is no type, and resolves to nothing
     * @return what the name means, or null for a type variable
     */
    Resolved resolve(ClassOrInterfaceType type, List<String> enclosingTypes, Set<String> typeVariables) {
        List<String> segments = new ArrayList<>();
        for (ClassOrInterfaceType t = type; t != null; t = t.getScope().orElse(null)) {
            segments.addFirst(t.getNameAsString());
        }
        return resolve(segments, enclosingTypes, typeVariables);
    }

    /** The same for a name given as its dot-separated segments (an annotation's name). */
    Resolved resolve(List<String> segments, List<String> enclosingTypes, Set<String> typeVariables) {
        if (segments.size() == 1 && typeVariables.contains(segments.getFirst())) {
            return null;
        }
        Resolved known = resolved.get(new Lookup(segments, enclosingTypes));
        if (known == null) {
            known = lookUp(segments, enclosingTypes);
            // Copies: a caller's list must not change a key later.
            resolved.put(new Lookup(List.copyOf(segments), List.copyOf(enclosingTypes)), known);
        }
        return known;
    }

    /** {@link #resolve} for a name that is no type variable; never null. */
    private Resolved lookUp(List<String> segments, List<String> enclosingTypes) {
        String first = segments.getFirst();
        String rest = segments.size() == 1 ? "" : "." + String.join(".", segments.subList(1, segments.size()));
        for (String enclosing : enclosingTypes) {
            LocalType member = localTypes.get(enclosing + "." + first);
            if (member != null) {
                return ofCanonicalName(member.fqn() + rest, Resolution.EXACT);
            }
        }
        LocalType topLevel = localTypes.get(qualified(packageName, first));
        if (topLevel != null) {
            return ofCanonicalName(topLevel.fqn() + rest, Resolution.EXACT);
        }
        String imported = singleImports.get(first);
        if (imported != null) {
            return ofCanonicalName(imported + rest, Resolution.IMPORT);
        }
        if (segments.size() > 1 && Character.isLowerCase(first.charAt(0))) {
            // java.util.List: by convention packages are lower case and types are not.
            return ofCanonicalName(String.join(".", segments), Resolution.EXACT);
        }
        List<Candidate> candidates = lookedUp(first + rest);
        if (rest.isEmpty() && candidates.stream().noneMatch(Candidate::certain) && !enclosingTypes.isEmpty()) {
            candidates = withInherited(first, enclosingTypes, candidates);
        }
        return new Resolved.Linked(candidates);
    }

    /**
     * Member types inherited by the enclosing types come before imports and the package (JLS §6.4.1), but which
     * types a class inherits only the whole graph knows: the link step looks for a member type of this name among
     * each enclosing type's supertypes. Offered only for names nothing certain resolves (a JDK type), which keeps
     * the link step's hierarchy lookups to the names that need them.
     */
    private static List<Candidate> withInherited(String name, List<String> enclosingTypes, List<Candidate> rest) {
        List<Candidate> candidates = new ArrayList<>(enclosingTypes.size() + rest.size());
        for (String enclosing : enclosingTypes) {
            String fqn = enclosing + "." + name;
            candidates.add(new Candidate(fqn, guessBinaryName(fqn), Resolution.INHERITED, false, false));
        }
        candidates.addAll(rest);
        return List.copyOf(candidates);
    }

    /** The package, then on-demand imports, then java.lang; stops at the first certain candidate. */
    private List<Candidate> lookedUp(String name) {
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(new Candidate(qualified(packageName, name), guessBinaryName(packageName, name),
            Resolution.PACKAGE, /* certain= */ false, /* fallback= */ false));
        int fallback = 0;
        for (String container : onDemandImports) {
            String fqn = container + "." + name;
            if (jdk.binaryName(fqn).isPresent()) {
                candidates.add(certain(fqn, Resolution.IMPORT, /* fallback= */ false));
                return withFallback(candidates, fallback);
            }
            candidates.add(new Candidate(fqn, guessBinaryName(fqn), Resolution.IMPORT, false, false));
            if (fallback == 0 && !jdk.isPackage(container)) {
                fallback = candidates.size() - 1; // most likely: the first import of a package the JDK lacks
            }
        }
        String javaLang = "java.lang." + name;
        if (jdk.binaryName(javaLang).isPresent()) {
            candidates.add(certain(javaLang, Resolution.IMPORT, /* fallback= */ false));
        }
        return withFallback(candidates, fallback);
    }

    private static List<Candidate> withFallback(List<Candidate> candidates, int fallback) {
        Candidate chosen = candidates.get(fallback);
        candidates.set(fallback, new Candidate(chosen.fqn(), chosen.binaryName(), chosen.resolution(),
            chosen.certain(), /* fallback= */ true));
        return List.copyOf(candidates);
    }

    private Candidate certain(String fqn, Resolution resolution, boolean fallback) {
        String binaryName = jdk.binaryName(fqn).orElseGet(() -> guessBinaryName(fqn));
        return new Candidate(fqn, binaryName, resolution, /* certain= */ true, fallback);
    }

    private static String qualified(String packageName, String name) {
        return packageName.isEmpty() ? name : packageName + "." + name;
    }

    /** In a known package, segments after the package are the type and its member types. */
    private static String guessBinaryName(String packageName, String name) {
        return packageName.isEmpty() ? name.replace('.', '$') : packageName + "." + name.replace('.', '$');
    }

    /**
     * The binary name of a canonical name whose package is unknown, by convention: the first segment that starts
     * with an upper-case letter is the top-level type, later segments are its member types.
     */
    static String guessBinaryName(String fqn) {
        String[] segments = fqn.split("\\.");
        StringBuilder binary = new StringBuilder();
        boolean inType = false;
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                binary.append(inType ? '$' : '.');
            }
            binary.append(segments[i]);
            inType = inType || (!segments[i].isEmpty() && Character.isUpperCase(segments[i].charAt(0)));
        }
        return binary.toString();
    }
}
