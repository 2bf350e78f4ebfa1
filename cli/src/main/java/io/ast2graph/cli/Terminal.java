package io.ast2graph.cli;

import java.io.Console;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Whether this process talks to a person at a terminal. Only JDK classes: the handoff to a serve asks it first. */
final class Terminal {
    private Terminal() {}

    /**
     * True when standard error is an interactive terminal. {@code Console.isTerminal()} exists from Java 22 on
     * (before, {@code System.console()} alone answers it); looked up at run time because we compile for Java 21.
     */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null || System.getenv("TERM") == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            var isTerminal = MethodHandles.publicLookup()
                .findVirtual(Console.class, "isTerminal", MethodType.methodType(boolean.class));
            return (boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
