using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>A call to the Kubernetes client found in compiled code: which client method, for which entity type, from where.</summary>
internal sealed record ClientCall(string Method, string Entity, string Caller);

/// <summary>
/// Finds every Kubernetes client call that compiled code can make, by reading the IL of the given
/// assemblies: from every method of the root types, through calls, lambdas, async state machines and
/// generic instantiations (so <c>client.CreateAsync(pod)</c>, whose type argument the compiler inferred,
/// and <c>Watcher&lt;Pod&gt;</c> in the runtime library, whose calls say only <c>T</c>, both count).
/// The compiled code, not the source text, is read because only it spells out inferred type arguments.
/// </summary>
internal sealed class ClientCallScan : IDisposable
{
    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => unchecked((ushort)code.Value));

    private readonly List<LoadedAssembly> _assemblies;
    private readonly Dictionary<string, (LoadedAssembly Assembly, TypeDefinitionHandle Type)> _types = [];
    private readonly IReadOnlySet<string> _clientTypes;
    private readonly Func<string, bool> _excluded;
    private readonly HashSet<string> _visited = [];
    private readonly HashSet<string> _mentioned = [];
    private readonly Queue<Node> _pending = new();
    private readonly List<ClientCall> _calls = [];

    /// <summary>Reads <paramref name="assemblyPaths"/>; calls on <paramref name="clientTypes"/> are recorded, never entered; types <paramref name="excluded"/> says are out of scope are never entered either.</summary>
    public ClientCallScan(IEnumerable<string> assemblyPaths, IReadOnlySet<string> clientTypes, Func<string, bool> excluded)
    {
        _clientTypes = clientTypes;
        _excluded = excluded;
        _assemblies = assemblyPaths.Select(path => new LoadedAssembly(path)).ToList();
        foreach (var assembly in _assemblies)
        {
            foreach (var type in assembly.Reader.TypeDefinitions)
            {
                _types.TryAdd(ShapeProvider.FullName(assembly.Reader, type), (assembly, type));
            }
        }
    }

    /// <summary>Every client call reachable from the non-generic methods of the root types (whose full names <paramref name="isRoot"/> accepts).</summary>
    public IReadOnlyList<ClientCall> Scan(Func<string, bool> isRoot)
    {
        foreach (var (name, (assembly, handle)) in _types)
        {
            var type = assembly.Reader.GetTypeDefinition(handle);
            if (type.GetGenericParameters().Count == 0 && isRoot(name) && !_excluded(name))
            {
                foreach (var method in type.GetMethods())
                {
                    Enqueue(new Node(assembly, method, [], []));
                }
            }
        }
        while (_pending.Count > 0)
        {
            Visit(_pending.Dequeue());
        }
        return _calls.Distinct().ToList();
    }

    private void Enqueue(Node node)
    {
        var definition = node.Assembly.Reader.GetMethodDefinition(node.Method);
        if (definition.GetGenericParameters().Count != node.MethodArgs.Length)
        {
            return;
        }
        if (node.TypeArgs.Any(a => !a.IsClosed) || node.MethodArgs.Any(a => !a.IsClosed) || node.Key.Length > 2000)
        {
            return; // open or runaway (recursively growing) instantiations add nothing concrete
        }
        if (_visited.Add(node.Key))
        {
            _pending.Enqueue(node);
        }
    }

    private void Visit(Node node)
    {
        var reader = node.Assembly.Reader;
        var definition = reader.GetMethodDefinition(node.Method);
        if (definition.RelativeVirtualAddress == 0)
        {
            return;
        }
        var il = node.Assembly.PE.GetMethodBody(definition.RelativeVirtualAddress).GetILReader();
        while (il.RemainingBytes > 0)
        {
            var first = il.ReadByte();
            var value = first == 0xFE ? (ushort)(0xFE00 | il.ReadByte()) : first;
            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    Token(node, MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    // Read the count first: "il.Offset += 4 * il.ReadInt32()" reads Offset before ReadInt32 moves it.
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
    }

    private void Token(Node node, EntityHandle handle)
    {
        var reader = node.Assembly.Reader;
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                Method(node, DeclaringShape(node, (MethodDefinitionHandle)handle), (MethodDefinitionHandle)handle, []);
                break;
            case HandleKind.MemberReference:
                MemberReference(node, (MemberReferenceHandle)handle, []);
                break;
            case HandleKind.MethodSpecification:
                var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                var methodArgs = specification.DecodeSignature(ShapeProvider.Instance, null)
                    .Select(a => a.Substitute(node.TypeArgs, node.MethodArgs)).ToImmutableArray();
                if (specification.Method.Kind == HandleKind.MethodDefinition)
                {
                    var method = (MethodDefinitionHandle)specification.Method;
                    Method(node, DeclaringShape(node, method), method, methodArgs);
                }
                else
                {
                    MemberReference(node, (MemberReferenceHandle)specification.Method, methodArgs);
                }
                break;
            case HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification:
                Mention(ShapeProvider.Instance.FromHandle(reader, handle).Substitute(node.TypeArgs, node.MethodArgs));
                break;
            default:
                break;
        }
    }

    /// <summary>A method definition's own type; inside a generic type it shares the caller's type arguments.</summary>
    private static NamedShape DeclaringShape(Node node, MethodDefinitionHandle method)
    {
        var reader = node.Assembly.Reader;
        var type = reader.GetMethodDefinition(method).GetDeclaringType();
        var arity = reader.GetTypeDefinition(type).GetGenericParameters().Count;
        return new NamedShape(ShapeProvider.FullName(reader, type), arity == node.TypeArgs.Length ? node.TypeArgs : []);
    }

    private void MemberReference(Node node, MemberReferenceHandle handle, ImmutableArray<TypeShape> methodArgs)
    {
        var reader = node.Assembly.Reader;
        var member = reader.GetMemberReference(handle);
        if (member.Parent.Kind is not (HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification))
        {
            return;
        }
        var parent = ShapeProvider.Instance.FromHandle(reader, member.Parent).Substitute(node.TypeArgs, node.MethodArgs);
        if (parent is not NamedShape named)
        {
            Mention(parent);
            return;
        }
        if (member.GetKind() != MemberReferenceKind.Method)
        {
            Mention(named);
            return;
        }
        var name = reader.GetString(member.Name);
        var parameters = member.DecodeMethodSignature(ShapeProvider.Instance, null).ParameterTypes.Length;
        Called(node, named, name, methodArgs, parameters);
    }

    private void Method(Node node, NamedShape type, MethodDefinitionHandle handle, ImmutableArray<TypeShape> methodArgs)
    {
        var reader = node.Assembly.Reader;
        var definition = reader.GetMethodDefinition(handle);
        Called(node, type, reader.GetString(definition.Name), methodArgs, CountParameters(reader, definition));
    }

    private void Called(Node caller, NamedShape type, string name, ImmutableArray<TypeShape> methodArgs, int parameterCount)
    {
        foreach (var argument in methodArgs)
        {
            Mention(argument);
        }
        if (_clientTypes.Contains(type.FullName))
        {
            if (methodArgs.Length == 1 && methodArgs[0] is NamedShape entity && entity.IsClosed)
            {
                _calls.Add(new ClientCall(name, entity.ToString(), caller.Describe()));
            }
            return;
        }
        Mention(type);
        if (!_types.TryGetValue(type.FullName, out var target) || _excluded(type.FullName))
        {
            return;
        }
        var reader = target.Assembly.Reader;
        foreach (var method in reader.GetTypeDefinition(target.Type).GetMethods())
        {
            var definition = reader.GetMethodDefinition(method);
            if (reader.GetString(definition.Name) == name && CountParameters(reader, definition) == parameterCount)
            {
                Enqueue(new Node(target.Assembly, method, type.Args, methodArgs));
            }
        }
    }

    /// <summary>A type in play: every non-generic method of it may run (state machines, closures, lambdas' caches).</summary>
    private void Mention(TypeShape shape)
    {
        foreach (var named in shape.NamedTypes())
        {
            if (!named.IsClosed || _clientTypes.Contains(named.FullName) || _excluded(named.FullName)
                || !_types.TryGetValue(named.FullName, out var target) || !_mentioned.Add(named.ToString()))
            {
                continue;
            }
            var type = target.Assembly.Reader.GetTypeDefinition(target.Type);
            if (type.GetGenericParameters().Count != named.Args.Length)
            {
                continue;
            }
            foreach (var method in type.GetMethods())
            {
                Enqueue(new Node(target.Assembly, method, named.Args, []));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var assembly in _assemblies)
        {
            assembly.PE.Dispose();
        }
    }

    private static int CountParameters(MetadataReader reader, MethodDefinition definition) =>
        definition.DecodeSignature(ShapeProvider.Instance, null).ParameterTypes.Length;

    /// <summary>An assembly's metadata, kept open for the scan.</summary>
    private sealed class LoadedAssembly
    {
        public LoadedAssembly(string path)
        {
            PE = new PEReader(File.OpenRead(path));
            Reader = PE.GetMetadataReader();
        }

        public PEReader PE { get; }

        public MetadataReader Reader { get; }
    }

    /// <summary>A method with its type's and its own generic arguments.</summary>
    private sealed record Node(LoadedAssembly Assembly, MethodDefinitionHandle Method,
        ImmutableArray<TypeShape> TypeArgs, ImmutableArray<TypeShape> MethodArgs)
    {
        public string Key { get; } = $"{Assembly.Reader.GetHashCode()}:{MetadataTokens.GetToken(Method)}<{string.Join(",", TypeArgs)}><{string.Join(",", MethodArgs)}>";

        public string Describe()
        {
            var definition = Assembly.Reader.GetMethodDefinition(Method);
            return $"{ShapeProvider.FullName(Assembly.Reader, definition.GetDeclaringType())}.{Assembly.Reader.GetString(definition.Name)}";
        }
    }
}
