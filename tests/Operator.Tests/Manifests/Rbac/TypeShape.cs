using System.Collections.Immutable;

namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>A type as a metadata signature spells it: a named type with arguments, a generic parameter, or something built on another type.</summary>
internal abstract record TypeShape
{
    /// <summary>Replaces generic parameters by the given type and method arguments.</summary>
    public abstract TypeShape Substitute(ImmutableArray<TypeShape> typeArgs, ImmutableArray<TypeShape> methodArgs);

    /// <summary>True when no generic parameter is left inside.</summary>
    public abstract bool IsClosed { get; }

    /// <summary>Every named type inside this one, itself included.</summary>
    public abstract IEnumerable<NamedShape> NamedTypes();
}

/// <summary>A type definition or reference by full name (<c>Ns.Outer/Inner`1</c>) with its generic arguments.</summary>
internal sealed record NamedShape(string FullName, ImmutableArray<TypeShape> Args) : TypeShape
{
    /// <inheritdoc />
    public override TypeShape Substitute(ImmutableArray<TypeShape> typeArgs, ImmutableArray<TypeShape> methodArgs) =>
        Args.IsEmpty ? this : this with { Args = [.. Args.Select(a => a.Substitute(typeArgs, methodArgs))] };

    /// <inheritdoc />
    public override bool IsClosed => Args.All(a => a.IsClosed);

    /// <inheritdoc />
    public override IEnumerable<NamedShape> NamedTypes() => Args.SelectMany(a => a.NamedTypes()).Prepend(this);

    /// <inheritdoc />
    public override string ToString() => Args.IsEmpty ? FullName : $"{FullName}<{string.Join(",", Args)}>";

    /// <inheritdoc />
    public bool Equals(NamedShape? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}

/// <summary>A generic parameter: <c>!n</c> of the type or <c>!!n</c> of the method.</summary>
internal sealed record GenericParameterShape(bool OfMethod, int Index) : TypeShape
{
    /// <inheritdoc />
    public override TypeShape Substitute(ImmutableArray<TypeShape> typeArgs, ImmutableArray<TypeShape> methodArgs)
    {
        var args = OfMethod ? methodArgs : typeArgs;
        return Index < args.Length ? args[Index] : this;
    }

    /// <inheritdoc />
    public override bool IsClosed => false;

    /// <inheritdoc />
    public override IEnumerable<NamedShape> NamedTypes() => [];

    /// <inheritdoc />
    public override string ToString() => OfMethod ? $"!!{Index}" : $"!{Index}";
}

/// <summary>An array, pointer or by-reference form of another type.</summary>
internal sealed record DerivedShape(string Form, TypeShape Element) : TypeShape
{
    /// <inheritdoc />
    public override TypeShape Substitute(ImmutableArray<TypeShape> typeArgs, ImmutableArray<TypeShape> methodArgs) =>
        this with { Element = Element.Substitute(typeArgs, methodArgs) };

    /// <inheritdoc />
    public override bool IsClosed => Element.IsClosed;

    /// <inheritdoc />
    public override IEnumerable<NamedShape> NamedTypes() => Element.NamedTypes();

    /// <inheritdoc />
    public override string ToString() => $"{Element}{Form}";
}
