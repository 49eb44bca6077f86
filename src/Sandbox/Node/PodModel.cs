using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Node;

/// <summary>The parts of a Pod the node agent acts on, read from its stored JSON.</summary>
internal sealed record PodModel(
    string Namespace,
    string Name,
    string Uid,
    string RestartPolicy,
    long TerminationGracePeriodSeconds,
    IReadOnlyList<ContainerModel> InitContainers,
    IReadOnlyList<ContainerModel> Containers,
    IReadOnlyList<VolumeModel> Volumes,
    string? Hostname = null,
    string? DefaultContainer = null,
    PodSecurityModel? Security = null)
{
    /// <summary>Reads a Pod object.</summary>
    public static PodModel Parse(JsonObject pod)
    {
        var meta = pod["metadata"] as JsonObject ?? new JsonObject();
        var spec = pod["spec"] as JsonObject ?? new JsonObject();
        return new PodModel(
            Str(meta, "namespace") ?? "default",
            Str(meta, "name") ?? "",
            Str(meta, "uid") ?? "",
            Str(spec, "restartPolicy") ?? "Always",
            Long(spec, "terminationGracePeriodSeconds") ?? 30,
            Array(spec, "initContainers").Select(ContainerModel.Parse).ToList(),
            Array(spec, "containers").Select(ContainerModel.Parse).ToList(),
            Array(spec, "volumes").Select(VolumeModel.Parse).ToList(),
            Str(spec, "hostname"),
            Str(meta["annotations"] as JsonObject, "kubectl.kubernetes.io/default-container"),
            PodSecurityModel.Parse(spec["securityContext"] as JsonObject));
    }

    /// <summary>The pod's securityContext, empty when it has none.</summary>
    public PodSecurityModel SecurityContext => Security ?? PodSecurityModel.None;

    internal static string? Str(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    // Whatever CLR type backs the number (int, long, a parsed element), read it from its JSON text.
    internal static long? Long(JsonObject? o, string key) =>
        o?[key] is JsonValue v && double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? (long)d
            : null;

    internal static bool Bool(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    internal static IEnumerable<JsonObject> Array(JsonObject? o, string key) =>
        o?[key] is JsonArray a ? a.OfType<JsonObject>() : Enumerable.Empty<JsonObject>();
}

/// <summary>One container of the pod spec.</summary>
internal sealed record ContainerModel(
    string Name,
    string Image,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? Args,
    string? WorkingDir,
    IReadOnlyList<JsonObject> Env,
    IReadOnlyList<JsonObject> EnvFrom,
    IReadOnlyList<VolumeMountModel> VolumeMounts,
    IReadOnlyList<(string? Name, int Port)> Ports,
    ProbeModel? ReadinessProbe,
    ProbeModel? LivenessProbe,
    ProbeModel? StartupProbe,
    long? RunAsUser = null,
    long? RunAsGroup = null)
{
    /// <summary>Reads one entry of containers or initContainers.</summary>
    public static ContainerModel Parse(JsonObject c) => new(
        PodModel.Str(c, "name") ?? "",
        PodModel.Str(c, "image") ?? "",
        Strings(c["command"]),
        Strings(c["args"]),
        PodModel.Str(c, "workingDir"),
        PodModel.Array(c, "env").ToList(),
        PodModel.Array(c, "envFrom").ToList(),
        PodModel.Array(c, "volumeMounts").Select(m => new VolumeMountModel(
            PodModel.Str(m, "name") ?? "",
            PodModel.Str(m, "mountPath") ?? "",
            PodModel.Str(m, "subPath"),
            PodModel.Bool(m, "readOnly"))).ToList(),
        PodModel.Array(c, "ports").Select(p => (PodModel.Str(p, "name"), (int)(PodModel.Long(p, "containerPort") ?? 0))).ToList(),
        ProbeModel.Parse(c["readinessProbe"] as JsonObject),
        ProbeModel.Parse(c["livenessProbe"] as JsonObject),
        ProbeModel.Parse(c["startupProbe"] as JsonObject),
        PodModel.Long(c["securityContext"] as JsonObject, "runAsUser"),
        PodModel.Long(c["securityContext"] as JsonObject, "runAsGroup"));

    private static IReadOnlyList<string>? Strings(JsonNode? n) =>
        n is JsonArray a ? a.Select(x => x?.ToString() ?? "").ToList() : null;
}

/// <summary>The parts of a pod's securityContext that decide identity and volume ownership.</summary>
internal sealed record PodSecurityModel(long? RunAsUser, long? RunAsGroup, long? FsGroup, string? FsGroupChangePolicy, IReadOnlyList<long> SupplementalGroups)
{
    /// <summary>No securityContext.</summary>
    public static readonly PodSecurityModel None = new(null, null, null, null, []);

    /// <summary>Reads spec.securityContext.</summary>
    public static PodSecurityModel Parse(JsonObject? sc) => sc is null
        ? None
        : new(PodModel.Long(sc, "runAsUser"), PodModel.Long(sc, "runAsGroup"), PodModel.Long(sc, "fsGroup"), PodModel.Str(sc, "fsGroupChangePolicy"),
            sc["supplementalGroups"] is JsonArray a
                ? a.Select(g => long.TryParse(g?.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1).Where(v => v >= 0).ToList()
                : []);
}

/// <summary>One volumeMounts entry.</summary>
internal sealed record VolumeMountModel(string Name, string MountPath, string? SubPath, bool ReadOnly);

/// <summary>One volumes entry: emptyDir, persistentVolumeClaim, secret or configMap (others are reported unsupported). SecretName names either source.</summary>
internal sealed record VolumeModel(string Name, string Kind, string? ClaimName, string? SecretName, int DefaultMode, IReadOnlyList<(string Key, string Path, int? Mode)>? Items, bool Optional)
{
    /// <summary>Reads one volumes entry.</summary>
    public static VolumeModel Parse(JsonObject v)
    {
        var name = PodModel.Str(v, "name") ?? "";
        if (v["persistentVolumeClaim"] is JsonObject pvc)
        {
            return new VolumeModel(name, "persistentVolumeClaim", PodModel.Str(pvc, "claimName"), null, 0, null, false);
        }

        if ((v["secret"] ?? v["configMap"]) is JsonObject s)
        {
            var isSecret = v["secret"] is not null;
            var items = s["items"] is JsonArray ? PodModel.Array(s, "items")
                .Select(i => (PodModel.Str(i, "key") ?? "", PodModel.Str(i, "path") ?? "", (int?)PodModel.Long(i, "mode"))).ToList() : null;
            return new VolumeModel(name, isSecret ? "secret" : "configMap", null, PodModel.Str(s, isSecret ? "secretName" : "name"),
                (int)(PodModel.Long(s, "defaultMode") ?? 420), items, PodModel.Bool(s, "optional"));
        }

        if (v.ContainsKey("emptyDir"))
        {
            return new VolumeModel(name, "emptyDir", null, null, 0, null, false);
        }

        return new VolumeModel(name, v.Select(kv => kv.Key).FirstOrDefault(k => k != "name") ?? "unknown", null, null, 0, null, false);
    }
}

/// <summary>A probe: exec, tcpSocket or httpGet with its timing.</summary>
internal sealed record ProbeModel(
    IReadOnlyList<string>? ExecCommand,
    string? TcpHost,
    string? TcpPort,
    string? HttpPath,
    string? HttpPort,
    int InitialDelaySeconds,
    int PeriodSeconds,
    int TimeoutSeconds,
    int SuccessThreshold,
    int FailureThreshold)
{
    /// <summary>Reads a probe, or null when absent.</summary>
    public static ProbeModel? Parse(JsonObject? p)
    {
        if (p is null)
        {
            return null;
        }

        var exec = p["exec"] as JsonObject;
        var tcp = p["tcpSocket"] as JsonObject;
        var http = p["httpGet"] as JsonObject;
        return new ProbeModel(
            exec?["command"] is JsonArray cmd ? cmd.Select(x => x?.ToString() ?? "").ToList() : null,
            PodModel.Str(tcp, "host"),
            tcp?["port"]?.ToString(),
            http is null ? null : PodModel.Str(http, "path") ?? "/",
            http?["port"]?.ToString(),
            (int)(PodModel.Long(p, "initialDelaySeconds") ?? 0),
            (int)Math.Max(1, PodModel.Long(p, "periodSeconds") ?? 10),
            (int)Math.Max(1, PodModel.Long(p, "timeoutSeconds") ?? 1),
            (int)Math.Max(1, PodModel.Long(p, "successThreshold") ?? 1),
            (int)Math.Max(1, PodModel.Long(p, "failureThreshold") ?? 3));
    }
}
