using System.Text.Json;
using PgReplica.Entities.Naming;
using k8s;
using k8s.Models;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Reconciliation.Builders;

namespace PgReplica.Operator.Tests.Reconciliation;

public sealed class BuildersTests
{
    private static readonly PostgresParameters Parameters = PostgresParameters.Merge(null, "4GB");

    [Fact]
    public void Secret_holds_two_distinct_random_passwords_and_is_owned_by_the_cluster()
    {
        var cluster = TestClusters.Named("orders");
        var a = SecretBuilder.Build(cluster);
        var b = SecretBuilder.Build(cluster);

        Assert.Equal("orders-replication", a.Metadata.Name);
        var replication = SecretBuilder.Read(a, SecretBuilder.ReplicationPasswordKey)!;
        var superuser = SecretBuilder.Read(a, SecretBuilder.SuperuserPasswordKey)!;
        Assert.Equal(32, replication.Length);
        Assert.NotEqual(replication, superuser);
        Assert.NotEqual(replication, SecretBuilder.Read(b, SecretBuilder.ReplicationPasswordKey));
        Assert.All(replication, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        AssertOwned(a, cluster);
    }

    [Fact]
    public void Pods_never_carry_a_password_in_args_or_literal_env()
    {
        var cluster = TestClusters.Named("orders");
        foreach (var pod in new[] { InstancePodBuilder.Primary(cluster, 1, Parameters), InstancePodBuilder.Standby(cluster, 2, Parameters) })
        {
            var containers = pod.Spec!.InitContainers!.Concat(pod.Spec.Containers).ToList();
            var secretEnv = containers.SelectMany(c => c.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is not null).ToList();
            Assert.NotEmpty(secretEnv);
            Assert.All(secretEnv, e => Assert.Equal("orders-replication", e.ValueFrom!.SecretKeyRef!.Name));
            Assert.All(secretEnv, e => Assert.Null(e.Value));
            Assert.DoesNotContain(containers.SelectMany(c => (c.Command ?? []).Concat(c.Args ?? [])), a => a.Contains("PASSWORD=", StringComparison.Ordinal));
            // Only the init container sees the secrets; postgres itself does not need them.
            Assert.DoesNotContain(pod.Spec.Containers.Single().Env!, e => e.ValueFrom is not null);
            // Kubernetes would expand $(NAME) in commands; the scripts must not rely on command substitution.
            Assert.DoesNotContain(containers.SelectMany(c => c.Command ?? []), a => a.Contains("$(", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Pods_are_real_cluster_specs_with_pvc_data_uid_999_and_probes()
    {
        var cluster = TestClusters.Named("orders");
        cluster.Spec.Resources.Limits = new() { ["memory"] = "1Gi" };
        var pod = InstancePodBuilder.Standby(cluster, 3, Parameters);

        Assert.Equal("orders-3", pod.Metadata.Name);
        Assert.Equal("db", pod.Metadata.NamespaceProperty);
        Assert.Equal("standby", pod.Metadata.Labels![Labels.Role]);
        Assert.Equal("orders", pod.Metadata.Labels[Labels.Cluster]);
        Assert.Equal("orders-3", pod.Metadata.Labels[Labels.Instance]);
        AssertOwned(pod, cluster);
        Assert.Equal(999, pod.Spec!.SecurityContext!.RunAsUser);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal("orders-3-data", pod.Spec.Volumes!.Single(v => v.Name == "data").PersistentVolumeClaim!.ClaimName);
        var postgres = pod.Spec.Containers.Single();
        Assert.Equal(postgres.Name, pod.Metadata.Annotations!["kubectl.kubernetes.io/default-container"]);
        Assert.Equal("postgres:17", postgres.Image);
        // The data directory's mode is set back on every start, before postgres (fsGroup gives it group bits at each mount).
        Assert.Equal(["sh", "-c", InstanceScripts.RunPostgres], postgres.Command);
        Assert.Contains("chmod 0700 \"$PGDATA\"", postgres.Command![2], StringComparison.Ordinal);
        Assert.EndsWith("exec postgres -D \"$PGDATA\"", postgres.Command[2], StringComparison.Ordinal);
        Assert.Contains("chmod 0700 \"$PGDATA\"", pod.Spec.InitContainers!.Single().Command![2], StringComparison.Ordinal);
        Assert.Equal("/var/lib/postgresql/data/pgdata", postgres.Env!.Single(e => e.Name == "PGDATA").Value);
        Assert.Equal("OnRootMismatch", pod.Spec.SecurityContext.FsGroupChangePolicy);
        Assert.Equal("pg_isready", postgres.ReadinessProbe!.Exec!.Command![0]);
        Assert.Equal("5432", postgres.LivenessProbe!.TcpSocket!.Port.Value);
        Assert.Equal("1Gi", postgres.Resources!.Limits!["memory"]);

        var init = pod.Spec.InitContainers!.Single();
        var env = init.Env!.ToDictionary(e => e.Name);
        Assert.Equal("orders_3", env["SLOT_NAME"].Value);
        Assert.Equal("orders-rw", env["PRIMARY_HOST"].Value);
        Assert.Equal("orders-3", env["POD_NAME"].Value);
        Assert.Contains("-S \"$SLOT_NAME\" -R", init.Command![2]);
        Assert.Contains("application_name=$POD_NAME", init.Command[2]);
        Assert.Contains("wal_level = 'replica'", env["PGREPLICA_CONF"].Value);
    }

    [Theory]
    [InlineData("postgres:17", null, 999)]
    [InlineData("postgres:15-alpine", null, 70)]
    [InlineData("postgres:15-alpine", 1234L, 1234)]
    public void Pods_run_as_the_uid_of_the_spec_or_the_image(string image, long? uid, long expected)
    {
        var cluster = TestClusters.Named("orders");
        cluster.Spec.Image = image;
        cluster.Spec.PostgresUid = uid;
        foreach (var pod in new[] { InstancePodBuilder.Primary(cluster, 1, Parameters), InstancePodBuilder.Standby(cluster, 2, Parameters) })
        {
            var security = pod.Spec!.SecurityContext!;
            Assert.Equal([expected, expected, expected], [security.RunAsUser!.Value, security.RunAsGroup!.Value, security.FsGroup!.Value]);
        }
    }

    [Fact]
    public void A_named_uid_takes_part_in_the_config_hash_and_a_derived_one_leaves_it_as_before()
    {
        var cluster = TestClusters.Named("orders");
        var before = InstancePodBuilder.ConfigHash(cluster, Parameters);
        cluster.Spec.PostgresUid = 999;
        var named = InstancePodBuilder.ConfigHash(cluster, Parameters);
        cluster.Spec.PostgresUid = 1234;

        Assert.NotEqual(before, named);
        Assert.NotEqual(named, InstancePodBuilder.ConfigHash(cluster, Parameters));
        cluster.Spec.PostgresUid = null;
        Assert.Equal(before, InstancePodBuilder.ConfigHash(cluster, Parameters));
    }

    [Fact]
    public void Services_select_by_role_or_instance_and_claims_request_the_spec_size()
    {
        var cluster = TestClusters.Named("orders");
        cluster.Spec.Storage.Size = "5Gi";
        cluster.Spec.Storage.StorageClassName = "fast";

        var rw = ServiceBuilder.ReadWrite(cluster);
        var ro = ServiceBuilder.ReadOnly(cluster);
        var one = ServiceBuilder.Instance(cluster, 2);
        Assert.Equal("orders-rw", rw.Metadata.Name);
        Assert.Equal("primary", rw.Spec!.Selector![Labels.Role]);
        Assert.Equal("orders-ro", ro.Metadata.Name);
        Assert.Equal("standby", ro.Spec!.Selector![Labels.Role]);
        Assert.Equal("orders-2", one.Metadata.Name);
        Assert.Equal("orders-2", one.Spec!.Selector![Labels.Instance]);
        Assert.Equal(5432, Assert.Single(rw.Spec.Ports!).Port);
        foreach (var s in new[] { rw, ro, one }) AssertOwned(s, cluster);

        var claim = ClaimBuilder.Build(cluster, 2);
        Assert.Equal("orders-2-data", claim.Metadata.Name);
        Assert.Equal("5Gi", claim.Spec!.Resources!.Requests!["storage"]);
        Assert.Equal("fast", claim.Spec.StorageClassName);
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        AssertOwned(claim, cluster);
    }

    [Fact]
    public void Built_objects_serialize_with_the_kube_json_options()
    {
        var cluster = TestClusters.Named("orders");
        var json = k8s.KubernetesJson.Serialize(InstancePodBuilder.Primary(cluster, 1, Parameters));
        Assert.Contains("\"secretKeyRef\"", json);
        Assert.Contains("\"ownerReferences\"", json);
    }

    private static void AssertOwned(k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> obj, PgReplica.Entities.V1Alpha1.PostgresReplicaSet cluster)
    {
        var owner = Assert.Single(obj.Metadata.OwnerReferences!);
        Assert.Equal("PostgresReplicaSet", owner.Kind);
        Assert.Equal("pgreplica.io/v1alpha1", owner.ApiVersion);
        Assert.Equal(cluster.Metadata.Uid, owner.Uid);
        Assert.True(owner.Controller);
        Assert.True(owner.BlockOwnerDeletion);
    }
}
