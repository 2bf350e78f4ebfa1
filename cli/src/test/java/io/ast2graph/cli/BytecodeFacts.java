package io.ast2graph.cli;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * What a jar's compiled classes say, in the terms of the graph. The rules (also in {@code docs/correctness.md}):
 * <ul>
 *   <li>Classes: all but {@code module-info}, {@code package-info}, {@code META-INF/} (multi-release copies) and
 *       local and anonymous classes, whose binary names have a {@code $} segment starting with a digit
 *       ({@code Outer$1}, {@code Outer$1Local}): the graph does not emit them yet.</li>
 *   <li>Methods by owner, name and arity: not synthetic or bridge methods (lambdas {@code lambda$…},
 *       {@code $deserializeLambda$}, {@code access$…}, enum {@code $values}), not {@code <clinit>}. The members the
 *       language declares implicitly (default constructors, an enum's {@code values()} and {@code valueOf(String)}, a
 *       record's canonical constructor, accessors, {@code equals}, {@code hashCode}, {@code toString}) count: the
 *       graph has them too. An enum's constructors carry two leading parameters (name, ordinal) and an inner class's
 *       constructors one (the enclosing instance), which source does not show: their arity is counted without
 *       them.</li>
 *   <li>Fields: not synthetic ({@code this$0}, {@code $VALUES}, {@code $assertionsDisabled}).</li>
 *   <li>Supertypes: a class's superclass is EXTENDS and its interfaces IMPLEMENTS; an interface's superinterfaces are
 *       EXTENDS, as its source says ({@code java.lang.Object}, the superclass bytecode gives every interface, is
 *       left out).</li>
 * </ul>
 */
final class BytecodeFacts {
    final List<String> types = new ArrayList<>();
    /** {@code binaryName#name/arity}. */
    final List<String> methods = new ArrayList<>();
    final List<String> fields = new ArrayList<>();
    /** {@code binaryName -EXTENDS-> binaryName}. */
    final List<String> supertypes = new ArrayList<>();

    static BytecodeFacts read(Path jar) throws IOException {
        BytecodeFacts facts = new BytecodeFacts();
        forEachClass(jar, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES, facts::add);
        return facts;
    }

    /** Every class of the jar but {@code module-info}, {@code package-info} and {@code META-INF/} copies. */
    static void forEachClass(Path jar, int readerFlags, java.util.function.Consumer<ClassNode> action)
        throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")
                    || name.endsWith("package-info.class")) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    ClassNode node = new ClassNode();
                    new ClassReader(in).accept(node, readerFlags);
                    action.accept(node);
                }
            }
        }
    }

    private void add(ClassNode node) {
        String binaryName = node.name.replace('/', '.');
        if (isLocalOrAnonymous(binaryName) || (node.access & Opcodes.ACC_SYNTHETIC) != 0) {
            return;
        }
        types.add(binaryName);
        boolean isEnum = (node.access & Opcodes.ACC_ENUM) != 0;
        boolean isInterface = (node.access & Opcodes.ACC_INTERFACE) != 0;
        boolean isInner = false;
        for (InnerClassNode inner : node.innerClasses) {
            if (inner.name.equals(node.name) && inner.outerName != null) {
                isInner = (inner.access & Opcodes.ACC_STATIC) == 0 && !isInterface && !isEnum
                    && node.recordComponents == null;
            }
        }
        for (MethodNode method : node.methods) {
            if ((method.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) != 0 || method.name.equals("<clinit>")
                || method.name.startsWith("lambda$")) {
                continue;
            }
            int arity = org.objectweb.asm.Type.getArgumentCount(method.desc);
            if (method.name.equals("<init>")) {
                arity -= isEnum ? 2 : isInner ? 1 : 0;
            }
            methods.add(binaryName + "#" + method.name + "/" + arity);
        }
        for (FieldNode field : node.fields) {
            if ((field.access & Opcodes.ACC_SYNTHETIC) == 0) {
                fields.add(binaryName + "." + field.name);
            }
        }
        String superName = node.superName == null ? null : node.superName.replace('/', '.');
        if (isInterface) {
            node.interfaces.forEach(i -> supertypes.add(binaryName + " -EXTENDS-> " + i.replace('/', '.')));
        } else {
            if (superName != null) {
                supertypes.add(binaryName + " -EXTENDS-> " + superName);
            }
            node.interfaces.forEach(i -> supertypes.add(binaryName + " -IMPLEMENTS-> " + i.replace('/', '.')));
        }
    }

    static boolean isLocalOrAnonymous(String binaryName) {
        int dollar = binaryName.indexOf('$');
        if (dollar < 0) {
            return false;
        }
        for (String segment : binaryName.substring(dollar + 1).split("\\$", -1)) {
            if (segment.isEmpty() || Character.isDigit(segment.charAt(0))) {
                return true;
            }
        }
        return false;
    }
}
