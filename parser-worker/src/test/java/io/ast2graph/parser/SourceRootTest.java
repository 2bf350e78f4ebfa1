package io.ast2graph.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceRootTest {

    @ParameterizedTest(name = "{0} in \"{1}\" -> \"{2}\"")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
        src/main/java/com/x/Foo.java      | com.x     | src/main/java
        java.base/java/util/HashMap.java  | java.util | java.base
        com/x/Foo.java                    | com.x     | ''
        Foo.java                          | ''        | ''
        scripts/Foo.java                  | ''        | scripts
        weird/Foo.java                    | com.x     | weird
        src/xcom/x/Foo.java               | com.x     | src/xcom/x
        src/com/x/y/Foo.java              | com.x     | src/com/x/y
        a/x/Foo.java                      | x         | a
        """)
    void sourceRootIsTheFolderWithoutThePackageFoldersAtItsEnd(String path, String packageName, String root) {
        assertThat(SourceRoot.of(path, packageName)).isEqualTo(root);
    }
}
