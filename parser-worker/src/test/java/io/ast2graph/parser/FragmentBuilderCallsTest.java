package io.ast2graph.parser;

import static io.ast2graph.parser.Fragments.build;
import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.TypeReference.Candidate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

class FragmentBuilderCallsTest {
    private static final String ROOT = "repo:src/main/java:";

    /**
     * Every call of the fragment: settled in the file as {@code from -> to (exact) @line}, else as
     * {@code from -> owner options #name/arity(argument types) @line}, an option listing its candidates' names
     * ({@code !} certain); ids without the repository and source root.
     */
    static List<String> calls(GraphFragment fragment) {
        List<String> lines = new ArrayList<>();
        fragment.relationships().stream().filter(r -> r.type().equals("INVOKES"))
            .forEach(r -> lines.add(shortId(r.fromId()) + " -> " + shortId(r.toId()) + " ("
                + r.properties().get("resolution") + ") @" + r.properties().get("line")));
        for (MethodReference call : fragment.calls()) {
            String owners = call.owners().stream()
                .map(option -> option.stream().map(c -> c.fqn() + (c.certain() ? "!" : ""))
                    .collect(Collectors.joining(",")))
                .collect(Collectors.joining(" | "));
            lines.add(shortId(call.fromId()) + " -> " + owners + " #" + call.name() + "/" + call.arity()
                + call.argumentTypes() + " @" + call.line());
        }
        return lines;
    }

    private static String shortId(String id) {
        return id.startsWith(ROOT) ? id.substring(ROOT.length()) : id;
    }

    private static List<String> callsOf(String source) {
        GraphFragment fragment = build("src/main/java/p/A.java", source);
        assertThat(fragment.problems()).isEmpty();
        return calls(fragment);
    }

    @Test
    void receiversAreTypedFromParametersFieldsLocalsLiteralsCastsAndTypeNames() {
        assertThat(callsOf("""
            package p;

            import java.util.List;
            import java.util.Map;

            class A {
                private Map<String, Integer> counts;
                void run(List<String> in, Object o) {
                    in.add("x");
                    counts.clear();
                    this.counts.size();
                    String text = "t";
                    text.trim();
                    var builder = new StringBuilder();
                    builder.reverse();
                    "literal".length();
                    ((String) o).isBlank();
                    (text).strip();
                    Math.max(1, 2L);
                    java.util.Objects.hash(o, null);
                    System.out.println(1.5f);
                    A.class.getName();
                    in.getClass();
                    builder.hashCode();
                    text.hashCode();
                }
            }
            """)).containsExactly(
            "p.A#run(List,Object) -> java.util.List! #add/1[String] @9",
            "p.A#run(List,Object) -> java.util.Map! #clear/0[] @10",
            "p.A#run(List,Object) -> java.util.Map! #size/0[] @11",
            "p.A#run(List,Object) -> p.String,java.lang.String! #trim/0[] @13",
            "p.A#run(List,Object) -> p.StringBuilder,java.lang.StringBuilder! #<init>/0[] @14",
            "p.A#run(List,Object) -> p.StringBuilder,java.lang.StringBuilder! #reverse/0[] @15",
            "p.A#run(List,Object) -> java.lang.String! #length/0[] @16",
            "p.A#run(List,Object) -> p.String,java.lang.String! #isBlank/0[] @17",
            "p.A#run(List,Object) -> p.String,java.lang.String! #strip/0[] @18",
            "p.A#run(List,Object) -> p.Math,java.lang.Math! #max/2[int, long] @19",
            "p.A#run(List,Object) -> java.util.Objects! #hash/2[Object, ] @20",
            "p.A#run(List,Object) -> java.io.PrintStream! #println/1[float] @21",
            "p.A#run(List,Object) -> java.lang.Class! #getName/0[] @22",
            // On an interface javac names the interface; on a class, Object for Object's methods it does not override.
            "p.A#run(List,Object) -> java.util.List! #getClass/0[] @23",
            "p.A#run(List,Object) -> java.lang.Object! #hashCode/0[] @24",
            "p.A#run(List,Object) -> p.String,java.lang.String! #hashCode/0[] @25",
            // A declares no constructor: its default one calls Object's, on the class's line.
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @6");
    }

    @Test
    void chainedCallsOnTheJdkTakeTheirReceiverFromTheReturnTypeOfTheCallBefore() {
        assertThat(callsOf("""
            package p;

            import java.util.Map;

            class A {
                String run(Object x, Map<String, Integer> map) {
                    map.entrySet().iterator().next().getKey();
                    return new StringBuilder().append(x).toString();
                }
            }
            """)).containsExactly(
            // Iterator#next returns a type variable: what is called on its result is left out.
            "p.A#run(Object,Map) -> java.util.Map! #entrySet/0[] @7",
            "p.A#run(Object,Map) -> java.util.Set! #iterator/0[] @7",
            "p.A#run(Object,Map) -> java.util.Iterator! #next/0[] @7",
            "p.A#run(Object,Map) -> p.StringBuilder,java.lang.StringBuilder! #<init>/0[] @8",
            "p.A#run(Object,Map) -> p.StringBuilder,java.lang.StringBuilder! #append/1[Object] @8",
            "p.A#run(Object,Map) -> java.lang.StringBuilder! #toString/0[] @8",
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @5");
    }

    @Test
    void callsOnReceiversOfUnknownTypeAreLeftOut() {
        assertThat(callsOf("""
            package p;

            import java.util.List;
            import java.util.function.Function;

            class A extends Base {
                <T> T first(List<T> list) { return list.get(0); }
                void run(String[] names, List<String> list) {
                    inheritedField.close();          // a field of a supertype: unknown
                    LOGGER.info("x");                // a constant of a supertype, not a type
                    first(list).trim();              // the result's type is a type variable
                    names.clone();                   // a call on an array
                    var unknown = inheritedMethod();
                    unknown.run();
                    Function<String, Integer> f = s -> s.length();   // an untyped lambda parameter
                    list.forEach(String::trim);      // a method reference: invokedynamic
                    new Base() { void m() { list.clear(); } };   // an anonymous class: neither <init> nor its body
                    class Local { void m() { list.clear(); } }
                    new Local();
                    for (String name : names) { name.strip(); }   // over an array: no iterator()
                }
            }
            """)).containsExactly(
            "p.A#run(String[],List) -> p.A#first(List) (exact) @11",
            "p.A#first(List) -> java.util.List! #get/1[int] @7",
            "p.A#run(String[],List) -> p.A! #inheritedMethod/0[] @13",
            "p.A#run(String[],List) -> java.util.List! #forEach/1[] @16",
            "p.A#run(String[],List) -> p.String,java.lang.String! #strip/0[] @20",
            "p.A#<init>() -> p.Base #<init>/0[] @6");
    }

    @Test
    void callsToMethodsTheFileDeclaresAreSettledInTheFileByArityThenArgumentTypes() {
        assertThat(callsOf("""
            package p;

            class A extends Base {
                static A create() { return new A(); }
                Inner inner() { return new Inner(); }
                void log(String s) {}
                void log(int i) {}
                void log(Object o, int i) {}
                void log(String s, int i) {}
                void all(String... parts) {}
                void run(Object o) {
                    create().inner().go();          // chained on the declared return types
                    log("x");                        // chosen by the argument's type
                    log(1);
                    log(o, 2);
                    log(o.hashCode(), 3);            // not told apart: the link step chooses
                    all("a", "b", "c");              // varargs
                    inherited();                     // not declared here: maybe in Base
                    A.create();
                }
                class Inner {
                    void go() {}
                }
            }
            """)).containsExactly(
            // A and Inner declare no constructor: new A() and new Inner() call the default ones javac adds.
            "p.A#create() -> p.A#<init>() (exact) @4",
            "p.A#inner() -> p.A$Inner#<init>() (exact) @5",
            "p.A#run(Object) -> p.A#create() (exact) @12",
            "p.A#run(Object) -> p.A#inner() (exact) @12",
            "p.A#run(Object) -> p.A$Inner#go() (exact) @12",
            "p.A#run(Object) -> p.A#log(String) (exact) @13",
            "p.A#run(Object) -> p.A#log(int) (exact) @14",
            "p.A#run(Object) -> p.A#log(Object,int) (exact) @15",
            "p.A#run(Object) -> p.A#all(String[]) (exact) @17",
            // A.create() at line 19 is the same edge as create() at line 12: one edge per caller and target.
            "p.A#run(Object) -> java.lang.Object! #hashCode/0[] @16",
            "p.A#run(Object) -> p.A! #log/2[int, int] @16",
            "p.A#run(Object) -> p.A! #inherited/0[] @18",
            "p.A#<init>() -> p.Base #<init>/0[] @3",
            "p.A$Inner#<init>() -> java.lang.Object! #<init>/0[] @21");
    }

    @Test
    void callsInLambdasBelongToTheEnclosingMethodAndCallsInAnonymousClassArgumentsCount() {
        assertThat(callsOf("""
            package p;

            import java.util.List;

            class A {
                void run(List<String> names) {
                    names.forEach(name -> name.trim());                      // untyped: left out
                    names.forEach((String name) -> name.strip());
                    Runnable r = () -> { String s = "x"; s.isEmpty(); };
                    new Thread(names.toString()) { public void run() { names.clear(); } };
                }
            }
            """)).containsExactly(
            "p.A#run(List) -> java.util.List! #forEach/1[] @7",
            "p.A#run(List) -> p.String,java.lang.String! #strip/0[] @8",
            "p.A#run(List) -> p.String,java.lang.String! #isEmpty/0[] @9",
            "p.A#run(List) -> java.util.List! #toString/0[] @10",
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @5");
    }

    @Test
    void constructorsWithoutThisOrSuperCallTheSuperclassConstructorImplicitly() {
        assertThat(callsOf("""
            package p;

            class A extends Base {
                A() {}
                A(int x) { this(); }
                A(String s) { super(s); }
                static class Plain {
                    Plain() {}
                }
                static class Child extends Plain {
                    Child() {}
                    Child(int i) { super(); }
                }
                enum Color {
                    RED;
                    Color() {}
                }
                record Point(int x, int y) {
                    Point {}
                    Point(int x) { this(x, 0); }
                }
            }
            """)).containsExactly(
            "p.A#<init>(int) -> p.A#<init>() (exact) @5",
            "p.A$Child#<init>() -> p.A$Plain#<init>() (exact) @11",
            "p.A$Child#<init>(int) -> p.A$Plain#<init>() (exact) @12",
            "p.A$Point#<init>(int) -> p.A$Point#<init>(int,int) (exact) @20",
            // The superclass as the header names it (the type's own members are not in scope there).
            "p.A#<init>() -> p.Base #<init>/0[] @4",
            "p.A#<init>(String) -> p.Base #<init>/1[String] @6",
            "p.A$Plain#<init>() -> java.lang.Object! #<init>/0[] @8",
            "p.A$Color#<init>() -> java.lang.Enum! #<init>/2[String, int] @16",
            "p.A$Point#<init>(int,int) -> java.lang.Record! #<init>/0[] @19");
    }

    @Test
    void instanceInitializersCountForEveryConstructorThatDoesNotStartWithThis() {
        assertThat(callsOf("""
            package p;

            import java.util.ArrayList;
            import java.util.List;

            class A {
                static final List<String> SHARED = new ArrayList<>();   // <clinit>: no node
                static { SHARED.clear(); }
                private final List<String> names = new ArrayList<>();
                { names.clear(); }
                A() {}
                A(String first) { names.add(first); }
                A(int ignored) { this(); }
            }
            """)).containsExactly(
            "p.A#<init>(int) -> p.A#<init>() (exact) @13",
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @11",
            "p.A#<init>(String) -> java.lang.Object! #<init>/0[] @12",
            "p.A#<init>(String) -> java.util.List! #add/1[String] @12",
            // javac copies the instance initializers into A() and A(String), after their super(), not into A(int).
            "p.A#<init>() -> java.util.ArrayList! #<init>/0[] @9",
            "p.A#<init>(String) -> java.util.ArrayList! #<init>/0[] @9",
            "p.A#<init>() -> java.util.List! #clear/0[] @10",
            "p.A#<init>(String) -> java.util.List! #clear/0[] @10");
    }

    @Test
    void unqualifiedCallsNameTheEnclosingTypesThatMayDeclareThemThenStaticImports() {
        assertThat(callsOf("""
            package p;

            import static java.util.Objects.requireNonNull;
            import static q.Checks.*;

            class A extends Base {
                void outer() {}
                class Inner extends Other {
                    void run() {
                        outer();             // declared by A, but Inner may inherit an outer() from Other
                        requireNonNull(this);
                        toString();          // every type has Object's methods: the innermost one
                    }
                }
                static class Nested {
                    void run() {
                        outer();             // Nested inherits nothing but Object's: A's outer()
                        getClass();          // final in Object: javac names Object
                    }
                }
            }
            """)).containsExactly(
            "p.A$Nested#run() -> p.A#outer() (exact) @17",
            // The default constructors' super(): the superclass as each header names it (q.Checks.* imports
            // q.Checks' static member types too).
            "p.A#<init>() -> p.Base,q.Checks.Base #<init>/0[] @6",
            "p.A$Inner#run() -> p.A.Inner! | p.A! #outer/0[] @10",
            "p.A$Inner#run() -> p.A.Inner! | p.A! | java.util.Objects! | q.Checks! #requireNonNull/1[Inner] @11",
            "p.A$Inner#run() -> p.A.Inner! #toString/0[] @12",
            "p.A$Inner#<init>() -> p.A.Other,p.Other,q.Checks.Other #<init>/0[] @8",
            "p.A$Nested#run() -> java.lang.Object! #getClass/0[] @18",
            "p.A$Nested#<init>() -> java.lang.Object! #<init>/0[] @15");
    }

    @Test
    void variablesGoOutOfScopeWithTheirBlockAndShadowFields() {
        assertThat(callsOf("""
            package p;

            import java.util.List;

            class A {
                private String value;
                void run(List<String> items) {
                    {
                        StringBuilder value = new StringBuilder();
                        value.reverse();
                    }
                    value.trim();                    // the field again
                    for (Object item : items) { item.hashCode(); }
                    for (int item = 0; item < 2; item++) { }
                    try (java.io.StringReader reader = new java.io.StringReader("")) {
                        reader.ready();
                    } catch (java.io.IOException | RuntimeException e) {
                        e.getMessage();              // a union type: unknown
                    }
                    Object o = items;
                    if (o instanceof List<?> list && list.isEmpty()) { }
                    switch (o) {
                        case String s -> s.chars();
                        default -> { }
                    }
                }
            }
            """)).containsExactly(
            "p.A#run(List) -> p.StringBuilder,java.lang.StringBuilder! #<init>/0[] @9",
            "p.A#run(List) -> p.StringBuilder,java.lang.StringBuilder! #reverse/0[] @10",
            "p.A#run(List) -> p.String,java.lang.String! #trim/0[] @12",
            // A loop over an Iterable calls iterator(), hasNext() and next(), as javac compiles it.
            "p.A#run(List) -> java.util.List! #iterator/0[] @13",
            "p.A#run(List) -> java.util.Iterator! #hasNext/0[] @13",
            "p.A#run(List) -> java.util.Iterator! #next/0[] @13",
            "p.A#run(List) -> java.lang.Object! #hashCode/0[] @13",
            "p.A#run(List) -> java.io.StringReader! #<init>/1[String] @15",
            "p.A#run(List) -> java.io.StringReader! #ready/0[] @16",
            "p.A#run(List) -> java.util.List! #isEmpty/0[] @21",
            "p.A#run(List) -> p.String,java.lang.String! #chars/0[] @23",
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @5");
    }

    @Test
    void typeVariablesEraseToTheirBoundButCallResultsTypedByOneAreUnknown() {
        assertThat(callsOf("""
            package p;

            class A<T extends CharSequence, U> {
                T value;
                <N extends Number> void run(N number, U other, A<String, String> box) {
                    number.intValue();               // erased to Number
                    other.hashCode();                // unbounded: Object
                    value.length();                  // CharSequence
                    box.value.length();              // another instance's field of type T: unknown (String here)
                    box.get().length();              // returns T: unknown
                }
                T get() { return value; }
            }
            """)).containsExactly(
            "p.A#run(Number,Object,A) -> p.A#get() (exact) @10",
            "p.A#run(Number,Object,A) -> p.Number,java.lang.Number! #intValue/0[] @6",
            "p.A#run(Number,Object,A) -> java.lang.Object! #hashCode/0[] @7",
            "p.A#run(Number,Object,A) -> p.CharSequence,java.lang.CharSequence! #length/0[] @8",
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @3");
    }

    @Test
    void callsToTheMembersTheLanguageDeclaresImplicitlySettleInTheFile() {
        assertThat(callsOf("""
            package p;

            import java.util.ArrayList;
            import java.util.List;

            class A {
                List<String> xs = new ArrayList<>();
                static class Outer {
                    enum E { X, Y }
                    E first() { return E.valueOf("X"); }
                }
                record P(int x, String label) {}
                void run(P p) {
                    new A();
                    Outer.E.values();
                    p.x();
                    p.label().trim();
                    new P(1, "a");
                }
            }
            """)).containsExactly(
            // A's default constructor, E's values() and valueOf(String), P's accessors and canonical constructor.
            "p.A#run(P) -> p.A#<init>() (exact) @14",
            "p.A#run(P) -> p.A$Outer$E#values() (exact) @15",
            "p.A#run(P) -> p.A$P#x() (exact) @16",
            "p.A#run(P) -> p.A$P#label() (exact) @17",
            "p.A#run(P) -> p.A$P#<init>(int,String) (exact) @18",
            "p.A$Outer#first() -> p.A$Outer$E#valueOf(String) (exact) @10",
            "p.A#run(P) -> p.String,java.lang.String! #trim/0[] @17",  // typed by the accessor's return type
            // What javac puts into the implicit constructors: super(), then the instance field initializers.
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @6",
            "p.A#<init>() -> java.util.ArrayList! #<init>/0[] @7",
            "p.A$Outer#<init>() -> java.lang.Object! #<init>/0[] @8",
            "p.A$Outer$E#<init>() -> java.lang.Enum! #<init>/2[String, int] @9",
            "p.A$P#<init>(int,String) -> java.lang.Record! #<init>/0[] @12");
    }

    @Test
    void theImplicitAccessorOfAVarargsComponentReturnsAnArray() {
        // javac: String[] labels(), as for a component written String[]; a call on an array is left out.
        assertThat(callsOf("""
            package p;

            class A {
                record R(String... labels) {}
                void run(R r) {
                    r.labels().clone();
                    String.join(",", r.labels());
                }
            }
            """)).containsExactly(
            "p.A#run(R) -> p.A$R#labels() (exact) @6",
            "p.A#run(R) -> p.String,java.lang.String! #join/2[String, String[]] @7",
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @3",
            "p.A$R#<init>(String[]) -> java.lang.Record! #<init>/0[] @4");
    }

    @Test
    void patternVariablesAreInScopeInTheCodeThatFollowsThemInTheSource() {
        // One name bound twice in an if/else-if chain (java.base's RSAKeyFactory): each branch sees its own. The
        // parser's visitor adapter walks an if's else before its then, a loop's body before its condition, a case's
        // guard before its label.
        assertThat(callsOf("""
            package p;

            import java.util.List;
            import java.util.Set;

            class A {
                Object f(Object o) {
                    if (o instanceof List<?> c) {
                        c.size();
                    } else if (o instanceof Set<?> c) {
                        c.isEmpty();
                    }
                    Object s = o instanceof String t ? t.trim() : o instanceof CharSequence t ? t.length() : null;
                    while (o instanceof StringBuilder b) {
                        o = b.reverse();
                    }
                    return switch (o) {
                        case String x when x.isBlank() -> x.strip();
                        default -> null;
                    };
                }
            }
            """)).containsExactly(
            "p.A#f(Object) -> java.util.List! #size/0[] @9",
            "p.A#f(Object) -> java.util.Set! #isEmpty/0[] @11",
            "p.A#f(Object) -> p.String,java.lang.String! #trim/0[] @13",
            "p.A#f(Object) -> p.CharSequence,java.lang.CharSequence! #length/0[] @13",
            "p.A#f(Object) -> p.StringBuilder,java.lang.StringBuilder! #reverse/0[] @15",
            "p.A#f(Object) -> p.String,java.lang.String! #isBlank/0[] @18",
            "p.A#f(Object) -> p.String,java.lang.String! #strip/0[] @18",
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @6");
    }

    @Test
    void aFileWithCallsItCannotTypeStillYieldsItsDeclarationsAndNoProblems() {
        // Constructs of every kind next to one another: none may throw out of the collector.
        GraphFragment fragment = build("src/main/java/p/A.java", """
            package p;

            import java.util.*;

            @interface Marker { String value() default ""; }
            interface Shape { default double area() { return size() * 2; } double size(); }
            enum Op { PLUS { int apply(int a) { return a; } }; int apply(int a) { return -a; } }
            record Pair<L, R>(L left, R right) { Pair { Objects.requireNonNull(left); } }
            sealed interface Expr permits Num {}
            record Num(int v) implements Expr {}
            class A {
                int eval(Expr e) {
                    return switch (e) {
                        case Num(var v) when v > 0 -> Integer.valueOf(v).intValue();
                        case Num n -> n.v();
                    };
                }
                String text() { return \"""
                    block\""".strip(); }
                void weird() { a.b.c.d(); x[0].y(); (foo ? bar : baz).qux(); this.<String>g(); Op.PLUS.apply(1); }
                <X> void g() {}
            }
            """);
        assertThat(fragment.problems()).isEmpty();
        assertThat(Fragments.nodesLabelled(fragment, "Type")).hasSize(7);
        assertThat(calls(fragment)).containsExactly(
            "p.Shape#area() -> p.Shape#size() (exact) @6",
            // A record's accessor that the source does not declare: the implicit one javac generates.
            "p.A#eval(Expr) -> p.Num#v() (exact) @15",
            "p.A#weird() -> p.A#g() (exact) @20",
            "p.A#weird() -> p.Op#apply(int) (exact) @20",   // an enum constant is typed by its enum
            "p.Op#<init>() -> java.lang.Enum! #<init>/2[String, int] @7",
            "p.Pair#<init>(Object,Object) -> java.lang.Record! #<init>/0[] @8",
            "p.Pair#<init>(Object,Object) -> p.Objects,java.util.Objects! #requireNonNull/1[Object] @8",
            "p.Num#<init>(int) -> java.lang.Record! #<init>/0[] @10",
            "p.A#eval(Expr) -> p.Integer,java.util.Integer,java.lang.Integer! #valueOf/1[] @14",
            "p.A#eval(Expr) -> java.lang.Integer! #intValue/0[] @14",
            "p.A#text() -> java.lang.String! #strip/0[] @19",
            "p.A#<init>() -> java.lang.Object! #<init>/0[] @11");
    }
}
