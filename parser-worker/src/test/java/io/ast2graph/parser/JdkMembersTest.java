package io.ast2graph.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.Set;

class JdkMembersTest {
    private final JdkMembers jdk = JdkMembers.system();

    @Test
    void returnTypesAreKnownWhenEveryOverloadOfTheArityAgrees() {
        assertThat(jdk.returnType("java.lang.StringBuilder", "append", 1)).contains(StringBuilder.class);
        assertThat(jdk.returnType("java.lang.String", "valueOf", 1)).contains(String.class);
        // A generic return type is erased (Set<Map.Entry<K, V>> is Set); a type variable is unknown.
        assertThat(jdk.returnType("java.util.Map", "entrySet", 0)).contains(Set.class);
        assertThat(jdk.returnType("java.util.List", "get", 1)).isEmpty();
        // Math.max(int, int) returns int, Math.max(long, long) long: the arity alone cannot tell.
        assertThat(jdk.returnType("java.lang.Math", "max", 2)).isEmpty();
        // Varargs methods count for any arity they accept.
        assertThat(jdk.returnType("java.lang.String", "format", 3)).contains(String.class);
        assertThat(jdk.returnType("java.lang.String", "noSuchMethod", 0)).isEmpty();
        assertThat(jdk.returnType("java.lang.NoSuchClass", "x", 0)).isEmpty();
    }

    @Test
    void publicFieldTypesAreKnownUnlessTypeVariables() {
        assertThat(jdk.fieldType("java.lang.System", "out")).contains(PrintStream.class);
        assertThat(jdk.fieldType("java.lang.Integer", "MAX_VALUE")).contains(int.class);
        assertThat(jdk.fieldType("java.lang.String", "value")).isEmpty(); // private
    }

    @Test
    void objectsOwnMethodsAreThoseAClassDoesNotOverride() {
        assertThat(jdk.isObjectsOwn("java.lang.StringBuilder", "hashCode", 0)).isTrue();
        assertThat(jdk.isObjectsOwn("java.lang.String", "hashCode", 0)).isFalse();
        assertThat(jdk.isObjectsOwn("java.lang.Thread", "getClass", 0)).isTrue();
        // javac names the interface for Object's methods called on one (invokeinterface List.getClass).
        assertThat(jdk.isObjectsOwn("java.util.List", "getClass", 0)).isFalse();
    }
}
