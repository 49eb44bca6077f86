using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>Decodes metadata signatures into <see cref="TypeShape"/>s.</summary>
internal sealed class ShapeProvider : ISignatureTypeProvider<TypeShape, object?>
{
    /// <summary>The one instance (the provider keeps no state).</summary>
    public static ShapeProvider Instance { get; } = new();

    /// <summary>Full name of a type definition, nested types as <c>Outer/Inner</c>.</summary>
    public static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(reader, declaring) + "/" + name;
        }
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Full name of a type reference, nested types as <c>Outer/Inner</c>.</summary>
    public static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(reader, (TypeReferenceHandle)type.ResolutionScope) + "/" + name;
        }
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The shape of a type token (definition, reference or specification).</summary>
    public TypeShape FromHandle(MetadataReader reader, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => new NamedShape(FullName(reader, (TypeDefinitionHandle)handle), []),
        HandleKind.TypeReference => new NamedShape(FullName(reader, (TypeReferenceHandle)handle), []),
        HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
        _ => new NamedShape($"<{handle.Kind}>", []),
    };

    /// <inheritdoc />
    public TypeShape GetPrimitiveType(PrimitiveTypeCode typeCode) => new NamedShape("System." + typeCode, []);

    /// <inheritdoc />
    public TypeShape GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        new NamedShape(FullName(reader, handle), []);

    /// <inheritdoc />
    public TypeShape GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
        new NamedShape(FullName(reader, handle), []);

    /// <inheritdoc />
    public TypeShape GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    /// <inheritdoc />
    public TypeShape GetSZArrayType(TypeShape elementType) => new DerivedShape("[]", elementType);

    /// <inheritdoc />
    public TypeShape GetArrayType(TypeShape elementType, ArrayShape shape) => new DerivedShape($"[{shape.Rank}]", elementType);

    /// <inheritdoc />
    public TypeShape GetByReferenceType(TypeShape elementType) => new DerivedShape("&", elementType);

    /// <inheritdoc />
    public TypeShape GetPointerType(TypeShape elementType) => new DerivedShape("*", elementType);

    /// <inheritdoc />
    public TypeShape GetPinnedType(TypeShape elementType) => elementType;

    /// <inheritdoc />
    public TypeShape GetModifiedType(TypeShape modifier, TypeShape unmodifiedType, bool isRequired) => unmodifiedType;

    /// <inheritdoc />
    public TypeShape GetFunctionPointerType(MethodSignature<TypeShape> signature) => new NamedShape("<fnptr>", []);

    /// <inheritdoc />
    public TypeShape GetGenericInstantiation(TypeShape genericType, ImmutableArray<TypeShape> typeArguments) =>
        genericType is NamedShape named ? named with { Args = typeArguments } : genericType;

    /// <inheritdoc />
    public TypeShape GetGenericMethodParameter(object? genericContext, int index) => new GenericParameterShape(true, index);

    /// <inheritdoc />
    public TypeShape GetGenericTypeParameter(object? genericContext, int index) => new GenericParameterShape(false, index);
}
