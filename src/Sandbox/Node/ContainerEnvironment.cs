using System.Text;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Node;

/// <summary>A container cannot be configured yet (e.g. a Secret it needs is missing); the kubelet's CreateContainerConfigError.</summary>
internal sealed class ContainerConfigException(string message) : Exception(message);

/// <summary>The facts about a pod that fieldRef env vars can read.</summary>
internal sealed record PodFacts(string Namespace, string Name, string Uid, string PodIp, string HostIp, string NodeName);

/// <summary>Builds a container's environment the way the kubelet does: image env, then the spec's env with $(VAR) expansion.</summary>
internal static class ContainerEnvironment
{
    /// <summary>
    /// The final environment: image env, then envFrom, then env. lookup(kind, name) returns the decoded data of a
    /// "secret" or "configMap", or null when it is missing. Throws <see cref="ContainerConfigException"/> for a
    /// missing, non-optional reference.
    /// </summary>
    public static Dictionary<string, string> Build(
        IReadOnlyDictionary<string, string> imageEnv,
        IReadOnlyList<JsonObject> specEnv,
        IReadOnlyList<JsonObject> envFrom,
        PodFacts pod,
        Func<string, string, IReadOnlyDictionary<string, string>?> lookup)
    {
        var env = new Dictionary<string, string>(imageEnv, StringComparer.Ordinal);
        // $(VAR) sees only variables the spec defined earlier, as in Kubernetes (not the image's).
        var specDefined = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in envFrom)
        {
            var (kind, reference) = source["secretRef"] is JsonObject sr ? ("secret", sr) : ("configMap", source["configMapRef"] as JsonObject);
            var name = PodModel.Str(reference, "name") ?? "";
            var data = lookup(kind, name);
            if (data is null)
            {
                if (PodModel.Bool(reference, "optional"))
                {
                    continue;
                }

                throw new ContainerConfigException($"{kind} \"{name}\" not found");
            }

            var prefix = PodModel.Str(source, "prefix") ?? "";
            foreach (var (k, v) in data)
            {
                env[prefix + k] = v;
                specDefined[prefix + k] = v;
            }
        }

        foreach (var e in specEnv)
        {
            var name = PodModel.Str(e, "name") ?? throw new ContainerConfigException("env entry without a name");
            string value;
            if (e["valueFrom"] is JsonObject from)
            {
                if ((from["secretKeyRef"] ?? from["configMapKeyRef"]) is JsonObject sk)
                {
                    var kind = from["secretKeyRef"] is not null ? "secret" : "configMap";
                    var source = PodModel.Str(sk, "name") ?? "";
                    var key = PodModel.Str(sk, "key") ?? "";
                    if (lookup(kind, source) is not { } data || !data.TryGetValue(key, out var v))
                    {
                        if (PodModel.Bool(sk, "optional"))
                        {
                            continue;
                        }

                        throw new ContainerConfigException($"{kind} \"{source}\" not found or has no key \"{key}\"");
                    }

                    value = v;
                }
                else if (from["fieldRef"] is JsonObject fr)
                {
                    value = PodModel.Str(fr, "fieldPath") switch
                    {
                        "metadata.name" => pod.Name,
                        "metadata.namespace" => pod.Namespace,
                        "metadata.uid" => pod.Uid,
                        "status.podIP" => pod.PodIp,
                        "status.hostIP" => pod.HostIp,
                        "spec.nodeName" => pod.NodeName,
                        var other => throw new ContainerConfigException($"unsupported fieldRef {other}"),
                    };
                }
                else
                {
                    throw new ContainerConfigException($"env {name}: only secretKeyRef, configMapKeyRef and fieldRef are supported in the sandbox");
                }
            }
            else
            {
                value = Expand(PodModel.Str(e, "value") ?? "", specDefined);
            }

            env[name] = value;
            specDefined[name] = value;
        }

        return env;
    }

    /// <summary>Kubernetes $(VAR) expansion: defined names are replaced, $$ escapes, anything else stays as written.</summary>
    public static string Expand(string input, IReadOnlyDictionary<string, string> vars)
    {
        if (!input.Contains('$'))
        {
            return input;
        }

        var sb = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c == '$' && i + 1 < input.Length)
            {
                if (input[i + 1] == '$')
                {
                    sb.Append('$');
                    i++;
                    continue;
                }

                if (input[i + 1] == '(')
                {
                    var close = input.IndexOf(')', i + 2);
                    if (close > 0)
                    {
                        var name = input.Substring(i + 2, close - i - 2);
                        if (vars.TryGetValue(name, out var v))
                        {
                            sb.Append(v);
                            i = close;
                            continue;
                        }
                    }
                }
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
