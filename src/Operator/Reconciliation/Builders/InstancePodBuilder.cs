using System.Globalization;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;

namespace PgReplica.Operator.Reconciliation.Builders;

/// <summary>
/// Pods of a cluster's instances, for a real cluster: the image from the spec, PGDATA on the instance's PVC,
/// the uid of spec.postgresUid (or the image's postgres uid), an init container that prepares the data directory, then postgres.
/// </summary>
public static class InstancePodBuilder
{
    /// <summary>Where the PVC is mounted.</summary>
    public const string DataMountPath = "/var/lib/postgresql/data";

    /// <summary>The data directory: a subdirectory, so initdb finds it absent (not merely empty) and can set 0700.</summary>
    public const string PgData = DataMountPath + "/pgdata";

    /// <summary>fsGroupChangePolicy of instance pods.</summary>
    public const string OnRootMismatch = "OnRootMismatch";

    /// <summary>Name of the init container.</summary>
    public const string InitContainerName = "init";

    /// <summary>Name of the database container.</summary>
    public const string PostgresContainerName = "postgres";

    /// <summary>Annotation carrying a hash of what the pod was built from (image, resources, settings), to spot drift.</summary>
    public const string ConfigHashAnnotation = "pgreplica.io/config-hash";

    /// <summary>The annotation kubectl reads to choose a pod's container when none is named.</summary>
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    /// <summary>The primary's pod: initdb on first start, then postgres.</summary>
    public static V1Pod Primary(PostgresReplicaSet cluster, int ordinal, PostgresParameters parameters)
    {
        var names = new ClusterNames(cluster.Metadata.Name!);
        var env = new List<V1EnvVar>
        {
            SecretEnv("POSTGRES_PASSWORD", names.ReplicationSecret, SecretBuilder.SuperuserPasswordKey),
            SecretEnv("REPLICATION_PASSWORD", names.ReplicationSecret, SecretBuilder.ReplicationPasswordKey),
            Literal("REPLICATION_USER", PgHba.ReplicationUser),
        };
        return Build(cluster, names, ordinal, Labels.PrimaryRole, InstanceScripts.InitPrimary, env, parameters);
    }

    /// <summary>A standby's pod: pg_basebackup from the -rw Service through its slot on first start, then postgres.</summary>
    public static V1Pod Standby(PostgresReplicaSet cluster, int ordinal, PostgresParameters parameters)
    {
        var names = new ClusterNames(cluster.Metadata.Name!);
        var env = new List<V1EnvVar>
        {
            SecretEnv("PGPASSWORD", names.ReplicationSecret, SecretBuilder.ReplicationPasswordKey),
            Literal("REPLICATION_USER", PgHba.ReplicationUser),
            Literal("PRIMARY_HOST", names.ReadWriteService),
            Literal("SLOT_NAME", names.Slot(ordinal)),
            Literal("POD_NAME", names.Pod(ordinal)),
        };
        return Build(cluster, names, ordinal, Labels.StandbyRole, InstanceScripts.InitStandby, env, parameters);
    }

    private static V1Pod Build(PostgresReplicaSet cluster, ClusterNames names, int ordinal, string role, string script, List<V1EnvVar> initEnv, PostgresParameters parameters)
    {
        var config = parameters.ToConfigFile();
        var hba = PgHba.Build();
        var common = new List<V1EnvVar> { Literal("PGDATA", PgData), Literal("PGPORT", PostgresParameters.Port.ToString(CultureInfo.InvariantCulture)) };
        var mounts = new List<V1VolumeMount> { new() { Name = "data", MountPath = DataMountPath } };
        var metadata = OwnedMetadata.For(cluster, names.Pod(ordinal), names.InstanceLabels(ordinal, role));
        var uid = cluster.Spec.EffectivePostgresUid();
        metadata.Annotations = new Dictionary<string, string>
        {
            [ConfigHashAnnotation] = ConfigHash(cluster, parameters),
            // kubectl exec and logs pick this container without "Defaulted container ... out of: postgres, init".
            [DefaultContainerAnnotation] = PostgresContainerName,
        };
        return new V1Pod
        {
            Metadata = metadata,
            Spec = new V1PodSpec
            {
                Hostname = names.Pod(ordinal),
                RestartPolicy = "Always",
                TerminationGracePeriodSeconds = 60,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsUser = uid,
                    RunAsGroup = uid,
                    FsGroup = uid,
                    RunAsNonRoot = true,
                    // The kubelet then skips its walk over the whole data directory at each mount once the volume root is right.
                    FsGroupChangePolicy = OnRootMismatch,
                    // Pod Security "restricted" asks for the runtime's default seccomp profile.
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Volumes =
                [
                    new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = names.DataVolumeClaim(ordinal) } },
                ],
                InitContainers =
                [
                    new V1Container
                    {
                        Name = InitContainerName,
                        Image = cluster.Spec.Image,
                        Command = ["sh", "-c", script],
                        Env = [.. common, .. initEnv, Literal("PGREPLICA_CONF", EscapeExpansion(config)), Literal("PGREPLICA_HBA", EscapeExpansion(hba))],
                        VolumeMounts = mounts,
                        SecurityContext = ContainerSecurity(),
                    },
                ],
                Containers =
                [
                    new V1Container
                    {
                        Name = PostgresContainerName,
                        Image = cluster.Spec.Image,
                        Command = ["sh", "-c", InstanceScripts.RunPostgres],
                        Env = common,
                        Ports = [new V1ContainerPort { Name = ServiceBuilder.PortName, ContainerPort = PostgresParameters.Port, Protocol = "TCP" }],
                        VolumeMounts = mounts,
                        Resources = Resources(cluster.Spec.Resources),
                        SecurityContext = ContainerSecurity(),
                        // Ready once it takes connections: a hot standby does after reaching consistency.
                        ReadinessProbe = new V1Probe
                        {
                            // The image's default socket directory (/var/run/postgresql), where postgres listens too.
                            Exec = new V1ExecAction { Command = ["pg_isready", "-q", "-p", PostgresParameters.Port.ToString(CultureInfo.InvariantCulture), "-U", PgHba.Superuser] },
                            PeriodSeconds = 5,
                            TimeoutSeconds = 5,
                            FailureThreshold = 3,
                        },
                        // Only the listening socket: a long crash recovery or WAL replay must not get the pod killed.
                        LivenessProbe = new V1Probe
                        {
                            TcpSocket = new V1TCPSocketAction { Port = PostgresParameters.Port },
                            InitialDelaySeconds = 30,
                            PeriodSeconds = 10,
                            TimeoutSeconds = 5,
                            FailureThreshold = 6,
                        },
                    },
                ],
            },
        };
    }

    // Pod Security "restricted": no privilege escalation, non-root, every capability dropped (postgres needs none).
    private static V1SecurityContext ContainerSecurity() => new()
    {
        AllowPrivilegeEscalation = false,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    private static Dictionary<string, ResourceQuantity>? Quantities(IReadOnlyDictionary<string, string>? values) =>
        values?.ToDictionary(v => v.Key, v => new ResourceQuantity(v.Value));

    private static V1ResourceRequirements? Resources(ResourcesSpec? spec) =>
        spec is null || (spec.Limits is null && spec.Requests is null)
            ? null
            : new V1ResourceRequirements
            {
                Limits = Quantities(spec.Limits),
                Requests = Quantities(spec.Requests),
            };

    // Kubernetes expands $(NAME) in env values; $$ is its escape for a literal $.
    private static string EscapeExpansion(string value) => value.Replace("$", "$$", StringComparison.Ordinal);

    private static V1EnvVar Literal(string name, string value) => new() { Name = name, Value = value };

    private static V1EnvVar SecretEnv(string name, string secret, string key) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } },
    };

    /// <summary>
    /// A hash of everything a running pod cannot take without a restart: image, uid, resources, postgresql.conf and
    /// pg_hba.conf. A pod whose annotation differs was built from an older spec.
    /// </summary>
    public static string ConfigHash(PostgresReplicaSet cluster, PostgresParameters parameters)
    {
        var resources = cluster.Spec.Resources;
        var text = string.Join('\n',
            cluster.Spec.Image,
            string.Join(',', (resources?.Limits ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
            string.Join(',', (resources?.Requests ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
            parameters.ToConfigFile(),
            PgHba.Build());
        // Only a uid the spec names: a derived one follows the image, already hashed, and pods of clusters made
        // before the field existed keep their hash (no rollout on upgrade).
        return Hash(cluster.Spec.PostgresUid is { } uid ? text + "\nuid=" + uid.ToString(CultureInfo.InvariantCulture) : text);
    }

    /// <summary>The hash a pod was built with, or null for a pod without one.</summary>
    public static string? ConfigHashOf(V1Pod pod) => pod.GetAnnotation(ConfigHashAnnotation);

    private static string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
}
