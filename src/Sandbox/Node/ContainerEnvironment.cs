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
    /// The final environment. secretValue returns a Secret's decoded value, or null when the Secret or key is missing.
    /// Throws <see cref="ContainerConfigException"/> for a missing, non-optional reference.
    /// </summary>
    public static Dictionary<string, string> Build(
        IReadOnlyDictionary<string, string> imageEnv,
        IReadOnlyList<JsonObject> specEnv,
        PodFacts pod,
        Func<string, string, string?> secretValue)
    {
        var env = new Dictionary<string, string>(imageEnv, StringComparer.Ordinal);
        // $(VAR) sees only variables the spec defined earlier, as in Kubernetes (not the image's).
        var specDefined = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in specEnv)
        {
            var name = PodModel.Str(e, "name") ?? throw new ContainerConfigException("env entry without a name");
            string value;
            if (e["valueFrom"] is JsonObject from)
            {
                if (from["secretKeyRef"] is JsonObject sk)
                {
                    var secret = PodModel.Str(sk, "name") ?? "";
                    var key = PodModel.Str(sk, "key") ?? "";
                    var v = secretValue(secret, key);
                    if (v is null)
                    {
                        if (PodModel.Bool(sk, "optional"))
                        {
                            continue;
                        }

                        throw new ContainerConfigException($"secret \"{secret}\" not found or has no key \"{key}\"");
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
                    throw new ContainerConfigException($"env {name}: only secretKeyRef and fieldRef are supported in the sandbox");
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
