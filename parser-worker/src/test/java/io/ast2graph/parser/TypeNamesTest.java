package io.ast2graph.parser;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ast.body.MethodDeclaration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeNamesTest {
    private final JavaParser parser = FragmentBuilder.newParser();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        int                               | int
        String                            | String
        List<String>                      | List
        java.util.Map.Entry<K, V>         | java.util.Map.Entry
        Map<String, List<Integer>>[]      | Map[]
        Outer<String>.Inner<Integer>      | Outer.Inner
        int [] []                         | int[][]
        java.util.@Deprecated List<T>     | java.util.List
        @Deprecated String @Deprecated [] | String[]
        T                                 | T
        void                              | void
        """)
    void typeIsWrittenWithoutGenericArgumentsAnnotationsOrWhitespace(String written, String erased) {
        assertThat(TypeNames.erased(parser.parseType(written).getResult().orElseThrow())).isEqualTo(erased);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        void f(String... xs) {}                  | String[]
        void f(int[]... xs) {}                   | int[][]
        void f(List<String> xs[]) {}             | List[]
        void f(final @Deprecated Set<?> xs) {}   | Set
        """)
    void parameterTypeTurnsVarargsAndNameBracketsIntoArrays(String method, String erased) {
        MethodDeclaration declaration =
            parser.<MethodDeclaration>parseBodyDeclaration(method).getResult().orElseThrow();

        assertThat(TypeNames.erasedParameterTypes(declaration.getParameters(), java.util.Map.of()))
            .containsExactly(erased);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        <T> void f(T x) {}                                      | Object
        <T extends CharSequence> void f(T... xs) {}             | CharSequence[]
        <T extends java.util.List<?> & Runnable> void f(T x) {} | java.util.List
        <T extends U, U extends Number> void f(T x) {}          | Number
        """)
    void typeVariablesInSignaturesBecomeTheErasureOfTheirFirstBound(String method, String erased) {
        MethodDeclaration declaration =
            parser.<MethodDeclaration>parseBodyDeclaration(method).getResult().orElseThrow();

        var variables = TypeNames.withTypeParameters(java.util.Map.of(), declaration.getTypeParameters());
        assertThat(TypeNames.erasedParameterTypes(declaration.getParameters(), variables)).containsExactly(erased);
    }
}
