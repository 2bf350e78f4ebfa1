package io.ast2graph.common.model;

import io.ast2graph.common.model.TypeReference.Candidate;

import java.util.List;
import java.util.Objects;

/**
 * A method call that one file cannot settle alone: an {@code INVOKES} relationship from a method (or constructor) of
 * the fragment to the method it calls, whose declaration may be in another file, in a supertype, or outside the scan.
 * The writer's link step settles it; see {@code docs/design-resolution.md}.
 *
 * <p>The link step takes the {@link #owners() owner options} in order. Each option is the static type the call is
 * made on, as type candidates (settled like a {@link TypeReference}'s). For the settled type it looks for a method
 * named {@link #name()} with {@link #arity()} parameters declared by the type or, nearest first, by its supertypes in
 * the graph. The first option whose hierarchy declares one wins; when none does, the call goes to an external
 * placeholder method of the first option's type (or of its nearest supertype outside the scan), as the bytecode's
 * invoke instruction would name it.
 *
 * <p>A call on a receiver ({@code list.add(x)}, {@code Foo.bar()}, {@code new Foo()}, {@code super.m()}) has one
 * option; an unqualified call ({@code m()}) has one per enclosing type, innermost first, then the types statically
 * imported with that name (JLS §15.12.1).
 *
 * @param fromId        the id of the calling Method node, a node of the same fragment
 * @param origin        {@code repo:sourceRoot} of the calling file, as in {@link TypeReference#origin()}
 * @param owners        the owner options in lookup order, each a non-empty list of type candidates
 * @param name          the method's name; {@code <init>} for a constructor ({@code new T()}, {@code this()},
 *                      {@code super()}, and the implicit {@code super()} of a constructor)
 * @param arity         the number of arguments
 * @param argumentTypes per argument, the erased simple name of its static type ({@code String}, {@code int},
 *                      {@code List}, {@code Object[]}) or {@code ""} when the parser cannot tell; used to choose
 *                      among overloads of the same arity
 * @param line          the line of the call
 */
public record MethodReference(String fromId, String origin, List<List<Candidate>> owners, String name, int arity,
                              List<String> argumentTypes, long line) {
    public MethodReference {
        Objects.requireNonNull(fromId, "fromId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(name, "name");
        owners = owners.stream().map(List::copyOf).toList();
        argumentTypes = List.copyOf(argumentTypes);
        if (owners.isEmpty() || owners.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("a method reference needs owner options with candidates: " + name
                + " from " + fromId);
        }
        if (argumentTypes.size() != arity) {
            throw new IllegalArgumentException("argumentTypes must have one entry per argument (" + arity + "), was "
                + argumentTypes.size() + ": " + name + " from " + fromId);
        }
    }

    /** The options as strings, for the {@code owners} property an INVOKES edge keeps to be settled again. */
    public List<String> encodedOwners() {
        return owners.stream().map(option -> String.join("|", option.stream().map(Candidate::encoded).toList()))
            .toList();
    }

    public static List<List<Candidate>> decodeOwners(List<String> encoded) {
        return encoded.stream().map(option -> java.util.Arrays.stream(option.split("\\|"))
            .map(Candidate::decode).toList()).toList();
    }
}
