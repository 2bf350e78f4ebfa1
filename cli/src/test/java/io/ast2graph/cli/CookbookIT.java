package io.ast2graph.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.parser.FragmentBuilder;
import io.ast2graph.writer.Neo4jGraphWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every query of the README's cookbook, exactly as the README prints it, against the graph of a small shop
 * written by the real builder and writer (no Kafka), and checks each one's answer: the README cannot drift from what
 * the graph holds.
 */
class CookbookIT {
    private static final FragmentBuilder BUILDER = new FragmentBuilder();
    private static final Pattern QUERY = Pattern.compile("```cypher\\n// (\\d+)\\. [^\\n]*\\n(.*?)```", Pattern.DOTALL);
    private static Neo4jGraphWriter writer;
    private static Map<Integer, String> queries;

    /** The shop: two packages that depend on each other, a hierarchy, calls, an annotation, a broken file. */
    private static final Map<String, String> SHOP = new LinkedHashMap<>();

    static {
        SHOP.put("src/main/java/shop/model/Priced.java", """
            package shop.model;
            public interface Priced { long price(); }
            """);
        SHOP.put("src/main/java/shop/model/Item.java", """
            package shop.model;
            import shop.cart.Cart;
            public class Item implements Priced {
                private final String name;
                private final long cents;
                public Item(String name, long cents) { this.name = name; this.cents = cents; }
                public long price() { return cents; }
                public String name() { return name; }
                @Deprecated(since = "2.0", forRemoval = true)
                public void addTo(Cart cart) { cart.add(this); }
                private void neverCalled() {}
            }
            """);
        SHOP.put("src/main/java/shop/model/Book.java", """
            package shop.model;
            @Deprecated
            public class Book extends Item {
                public Book(String title, long cents) { super(title, cents); }
                @Override public long price() { return super.price() - 1; }
            }
            """);
        SHOP.put("src/main/java/shop/cart/Cart.java", """
            package shop.cart;
            import com.acme.*;
            import java.util.ArrayList;
            import java.util.List;
            import shop.model.Item;
            public class Cart {
                private final List<Item> items = new ArrayList<>();
                private Widget widget;
                public void add(Item item) { items.add(item); }
                public long total() {
                    long sum = 0;
                    for (Item item : items) { sum += item.price(); }
                    return sum;
                }
                public void checkout() throws CheckoutException {
                    if (total() == 0) { throw new CheckoutException("empty cart"); }
                    Receipt.print(this);
                }
            }
            """);
        SHOP.put("src/main/java/shop/cart/CheckoutException.java", """
            package shop.cart;
            public class CheckoutException extends Exception {
                public CheckoutException(String message) { super(message); }
            }
            """);
        SHOP.put("src/main/java/shop/cart/Receipt.java", """
            package shop.cart;
            import shop.model.Item;
            final class Receipt {
                static void print(Cart cart) { System.out.println(cart.total()); }
                static String label(Item item) { return item.name(); }
            }
            """);
        SHOP.put("src/test/java/shop/model/Item.java", """
            package shop.model;
            public class Item { }
            """);
        SHOP.put("src/main/java/shop/Broken.java", """
            package shop;
            public class Broken { void f() { int x = ; } }
            """);
    }

    @BeforeAll
    static void writeTheShop() throws Exception {
        writer = DirectWriter.open();
        DirectWriter.wipe(writer);
        List<GraphFragment> fragments = new ArrayList<>();
        long version = 0;
        for (var file : SHOP.entrySet()) {
            version++;
            fragments.add(BUILDER.build("cookbook", "shop", file.getKey(), Long.toHexString(version), version,
                file.getValue().getBytes(UTF_8)));
        }
        // Two batches, the second declaring what the first references: the link step's order independence is part
        // of what the answers rely on.
        writer.write(fragments.subList(3, fragments.size()));
        writer.write(fragments.subList(0, 3));
        queries = readCookbook(Path.of("..", "README.md"));
    }

    @AfterAll
    static void close() {
        if (writer != null) {
            writer.close();
        }
    }

    /** The numbered queries of the README's "Cookbook" section. */
    static Map<Integer, String> readCookbook(Path readme) throws Exception {
        String text = Files.readString(readme);
        int start = text.indexOf("### Cookbook");
        assertThat(start).as("README has a Cookbook section").isPositive();
        int end = text.indexOf("\n## ", start);
        Matcher matcher = QUERY.matcher(text.substring(start, end < 0 ? text.length() : end));
        Map<Integer, String> found = new TreeMap<>();
        while (matcher.find()) {
            found.put(Integer.parseInt(matcher.group(1)), matcher.group(2).strip());
        }
        return found;
    }

    private static List<List<Object>> run(int number) {
        String query = queries.get(number);
        assertThat(query).as("cookbook query " + number).isNotNull();
        return writer.read(query, Map.of()).stream().map(row -> List.copyOf(row.values())).toList();
    }

    private static List<Object> column(int number) {
        return run(number).stream().map(List::getFirst).toList();
    }

    @Test
    void theCookbookHasAtLeastTenQueriesAndEachOneIsCheckedHere() {
        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        assertThat(queries.keySet()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    }

    @Test
    void callersOfAMethod() {
        assertThat(column(1)).containsExactly("shop.cart.Cart.total", "shop.model.Book.price");
    }

    @Test
    void everySupertypeOfAClass() {
        assertThat(column(2)).containsExactly("java.lang.Object", "shop.model.Item", "shop.model.Priced");
    }

    @Test
    void classesImplementingAnInterface() {
        assertThat(column(3)).containsExactly("shop.model.Book", "shop.model.Item");
    }

    @Test
    void packagesThatDependOnEachOther() {
        assertThat(run(4)).containsExactly(List.of("shop.cart", "shop.model"));
    }

    @Test
    void unusedPrivateMethods() {
        assertThat(column(5)).containsExactly("shop.model.Item.neverCalled()");
    }

    @Test
    void mostDependedOnTypes() {
        assertThat(run(6).getFirst()).isEqualTo(List.of("shop.model.Item", 3L));
    }

    @Test
    void methodsThatThrowAnException() {
        assertThat(column(7)).containsExactly("shop.cart.Cart.checkout");
    }

    @Test
    void deprecatedTypes() {
        assertThat(column(8)).containsExactly("shop.model.Book");
    }

    @Test
    void whatAMethodCallsTransitively() {
        assertThat(column(9)).contains("shop.cart.Cart.total", "shop.cart.CheckoutException.<init>",
            "shop.cart.Receipt.print", "shop.model.Item.price", "java.lang.Exception.<init>");
    }

    @Test
    void filesThatDidNotParse() {
        assertThat(column(10)).containsExactly("src/main/java/shop/Broken.java");
    }

    @Test
    void namesDeclaredInSeveralSourceRoots() {
        assertThat(run(11)).containsExactly(List.of("shop.model.Item", List.of("src/main/java", "src/test/java")));
    }

    @Test
    void overridesOfAnInterfaceMethod() {
        assertThat(column(13)).containsExactly("shop.model.Book.price", "shop.model.Item.price");
    }

    @Test
    void mostComplexMethods() {
        assertThat(run(14)).containsExactly(List.of("shop.cart.Cart.checkout()", 2L),
            List.of("shop.cart.Cart.total()", 2L));
    }

    @Test
    void deprecatedForRemovalWithTheVersionFromTheAnnotation() {
        assertThat(run(15)).containsExactly(List.of("shop.model.Item.addTo", "2.0"));
    }

    @Test
    void referencesThatAreOnlyInferred() {
        assertThat(run(12)).containsExactly(List.of("OF_TYPE", "com.acme.Widget"));
    }
}
