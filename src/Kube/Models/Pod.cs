using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>core/v1 Pod.</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "Pod", PluralName = "pods")]
public sealed class Pod : KubernetesObject
{
    /// <summary>A Pod with apiVersion and kind filled in.</summary>
    public Pod()
    {
        ApiVersion = "v1";
        Kind = "Pod";
    }

    /// <summary>Desired state.</summary>
    [JsonPropertyName("spec")] public PodSpec? Spec { get; set; }

    /// <summary>Observed state, written by the kubelet (the sandbox node agent).</summary>
    [JsonPropertyName("status")] public PodStatus? Status { get; set; }
}

/// <summary>core/v1 PodSpec.</summary>
public sealed class PodSpec
{
    [JsonPropertyName("initContainers")] public List<Container>? InitContainers { get; set; }
    [JsonPropertyName("containers")] public List<Container> Containers { get; set; } = [];
    [JsonPropertyName("volumes")] public List<Volume>? Volumes { get; set; }
    /// <summary>Always, OnFailure or Never.</summary>
    [JsonPropertyName("restartPolicy")] public string? RestartPolicy { get; set; }
    [JsonPropertyName("terminationGracePeriodSeconds")] public long? TerminationGracePeriodSeconds { get; set; }
    [JsonPropertyName("serviceAccountName")] public string? ServiceAccountName { get; set; }
    [JsonPropertyName("securityContext")] public PodSecurityContext? SecurityContext { get; set; }
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
    [JsonPropertyName("subdomain")] public string? Subdomain { get; set; }
    [JsonPropertyName("nodeName")] public string? NodeName { get; set; }
    [JsonPropertyName("nodeSelector")] public Dictionary<string, string>? NodeSelector { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 Container.</summary>
public sealed class Container
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("image")] public string? Image { get; set; }
    [JsonPropertyName("imagePullPolicy")] public string? ImagePullPolicy { get; set; }
    [JsonPropertyName("command")] public List<string>? Command { get; set; }
    [JsonPropertyName("args")] public List<string>? Args { get; set; }
    [JsonPropertyName("workingDir")] public string? WorkingDir { get; set; }
    [JsonPropertyName("env")] public List<EnvVar>? Env { get; set; }
    [JsonPropertyName("ports")] public List<ContainerPort>? Ports { get; set; }
    [JsonPropertyName("volumeMounts")] public List<VolumeMount>? VolumeMounts { get; set; }
    [JsonPropertyName("resources")] public ResourceRequirements? Resources { get; set; }
    [JsonPropertyName("readinessProbe")] public Probe? ReadinessProbe { get; set; }
    [JsonPropertyName("livenessProbe")] public Probe? LivenessProbe { get; set; }
    [JsonPropertyName("startupProbe")] public Probe? StartupProbe { get; set; }
    [JsonPropertyName("securityContext")] public SecurityContext? SecurityContext { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 EnvVar: a literal value or a reference.</summary>
public sealed class EnvVar
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("valueFrom")] public EnvVarSource? ValueFrom { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 EnvVarSource.</summary>
public sealed class EnvVarSource
{
    [JsonPropertyName("secretKeyRef")] public SecretKeySelector? SecretKeyRef { get; set; }
    [JsonPropertyName("fieldRef")] public ObjectFieldSelector? FieldRef { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 SecretKeySelector.</summary>
public sealed class SecretKeySelector
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("optional")] public bool? Optional { get; set; }
}

/// <summary>core/v1 ObjectFieldSelector (downward API), e.g. <c>status.podIP</c>.</summary>
public sealed class ObjectFieldSelector
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("fieldPath")] public string FieldPath { get; set; } = "";
}

/// <summary>core/v1 ContainerPort.</summary>
public sealed class ContainerPort
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("containerPort")] public int ContainerPortNumber { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
}

/// <summary>core/v1 VolumeMount.</summary>
public sealed class VolumeMount
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("mountPath")] public string MountPath { get; set; } = "";
    [JsonPropertyName("subPath")] public string? SubPath { get; set; }
    [JsonPropertyName("readOnly")] public bool? ReadOnly { get; set; }
}

/// <summary>core/v1 ResourceRequirements, quantities kept as strings.</summary>
public sealed class ResourceRequirements
{
    [JsonPropertyName("limits")] public Dictionary<string, string>? Limits { get; set; }
    [JsonPropertyName("requests")] public Dictionary<string, string>? Requests { get; set; }
}

/// <summary>core/v1 Probe.</summary>
public sealed class Probe
{
    [JsonPropertyName("exec")] public ExecAction? Exec { get; set; }
    [JsonPropertyName("tcpSocket")] public TcpSocketAction? TcpSocket { get; set; }
    [JsonPropertyName("httpGet")] public HttpGetAction? HttpGet { get; set; }
    [JsonPropertyName("initialDelaySeconds")] public int? InitialDelaySeconds { get; set; }
    [JsonPropertyName("periodSeconds")] public int? PeriodSeconds { get; set; }
    [JsonPropertyName("timeoutSeconds")] public int? TimeoutSeconds { get; set; }
    [JsonPropertyName("successThreshold")] public int? SuccessThreshold { get; set; }
    [JsonPropertyName("failureThreshold")] public int? FailureThreshold { get; set; }
}

/// <summary>core/v1 ExecAction.</summary>
public sealed class ExecAction
{
    [JsonPropertyName("command")] public List<string>? Command { get; set; }
}

/// <summary>core/v1 TCPSocketAction.</summary>
public sealed class TcpSocketAction
{
    [JsonPropertyName("port")] public IntOrString Port { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }
}

/// <summary>core/v1 HTTPGetAction.</summary>
public sealed class HttpGetAction
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("port")] public IntOrString Port { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }
    [JsonPropertyName("scheme")] public string? Scheme { get; set; }
}

/// <summary>core/v1 SecurityContext (container level).</summary>
public sealed class SecurityContext
{
    [JsonPropertyName("runAsUser")] public long? RunAsUser { get; set; }
    [JsonPropertyName("runAsGroup")] public long? RunAsGroup { get; set; }
    [JsonPropertyName("runAsNonRoot")] public bool? RunAsNonRoot { get; set; }
    [JsonPropertyName("readOnlyRootFilesystem")] public bool? ReadOnlyRootFilesystem { get; set; }
    [JsonPropertyName("allowPrivilegeEscalation")] public bool? AllowPrivilegeEscalation { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 PodSecurityContext.</summary>
public sealed class PodSecurityContext
{
    [JsonPropertyName("runAsUser")] public long? RunAsUser { get; set; }
    [JsonPropertyName("runAsGroup")] public long? RunAsGroup { get; set; }
    [JsonPropertyName("runAsNonRoot")] public bool? RunAsNonRoot { get; set; }
    [JsonPropertyName("fsGroup")] public long? FsGroup { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 Volume: exactly one source is set.</summary>
public sealed class Volume
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("emptyDir")] public EmptyDirVolumeSource? EmptyDir { get; set; }
    [JsonPropertyName("persistentVolumeClaim")] public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; set; }
    [JsonPropertyName("secret")] public SecretVolumeSource? Secret { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 EmptyDirVolumeSource.</summary>
public sealed class EmptyDirVolumeSource
{
    [JsonPropertyName("medium")] public string? Medium { get; set; }
    [JsonPropertyName("sizeLimit")] public string? SizeLimit { get; set; }
}

/// <summary>core/v1 PersistentVolumeClaimVolumeSource.</summary>
public sealed class PersistentVolumeClaimVolumeSource
{
    [JsonPropertyName("claimName")] public string ClaimName { get; set; } = "";
    [JsonPropertyName("readOnly")] public bool? ReadOnly { get; set; }
}

/// <summary>core/v1 SecretVolumeSource.</summary>
public sealed class SecretVolumeSource
{
    [JsonPropertyName("secretName")] public string? SecretName { get; set; }
    [JsonPropertyName("items")] public List<KeyToPath>? Items { get; set; }
    /// <summary>File mode bits (decimal on the wire, e.g. 384 for 0600).</summary>
    [JsonPropertyName("defaultMode")] public int? DefaultMode { get; set; }
    [JsonPropertyName("optional")] public bool? Optional { get; set; }
}

/// <summary>core/v1 KeyToPath.</summary>
public sealed class KeyToPath
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("path")] public string Path { get; set; } = "";
    [JsonPropertyName("mode")] public int? Mode { get; set; }
}

/// <summary>core/v1 PodStatus.</summary>
public sealed class PodStatus
{
    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("conditions")] public List<PodCondition>? Conditions { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("hostIP")] public string? HostIP { get; set; }
    [JsonPropertyName("podIP")] public string? PodIP { get; set; }
    [JsonPropertyName("startTime")] public DateTimeOffset? StartTime { get; set; }
    [JsonPropertyName("initContainerStatuses")] public List<ContainerStatus>? InitContainerStatuses { get; set; }
    [JsonPropertyName("containerStatuses")] public List<ContainerStatus>? ContainerStatuses { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 PodCondition (type Ready, Initialized, ContainersReady, PodScheduled).</summary>
public sealed class PodCondition
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "Unknown";
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("lastProbeTime")] public DateTimeOffset? LastProbeTime { get; set; }
    [JsonPropertyName("lastTransitionTime")] public DateTimeOffset? LastTransitionTime { get; set; }
}

/// <summary>core/v1 ContainerStatus.</summary>
public sealed class ContainerStatus
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("image")] public string? Image { get; set; }
    [JsonPropertyName("ready")] public bool Ready { get; set; }
    [JsonPropertyName("started")] public bool? Started { get; set; }
    [JsonPropertyName("restartCount")] public int RestartCount { get; set; }
    [JsonPropertyName("state")] public ContainerState? State { get; set; }
    [JsonPropertyName("lastState")] public ContainerState? LastState { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 ContainerState: one of running, waiting, terminated.</summary>
public sealed class ContainerState
{
    [JsonPropertyName("running")] public ContainerStateRunning? Running { get; set; }
    [JsonPropertyName("waiting")] public ContainerStateWaiting? Waiting { get; set; }
    [JsonPropertyName("terminated")] public ContainerStateTerminated? Terminated { get; set; }
}

/// <summary>core/v1 ContainerStateRunning.</summary>
public sealed class ContainerStateRunning
{
    [JsonPropertyName("startedAt")] public DateTimeOffset? StartedAt { get; set; }
}

/// <summary>core/v1 ContainerStateWaiting.</summary>
public sealed class ContainerStateWaiting
{
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

/// <summary>core/v1 ContainerStateTerminated.</summary>
public sealed class ContainerStateTerminated
{
    [JsonPropertyName("exitCode")] public int ExitCode { get; set; }
    [JsonPropertyName("signal")] public int? Signal { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("startedAt")] public DateTimeOffset? StartedAt { get; set; }
    [JsonPropertyName("finishedAt")] public DateTimeOffset? FinishedAt { get; set; }
}
