using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Reconciliation.Builders;
using PgReplica.Sandbox.Api.PodSecurity;

namespace PgReplica.Operator.Tests.Reconciliation;

/// <summary>Instance pods against Pod Security "restricted", judged by the sandbox's evaluator (the one rule set its admission uses).</summary>
public sealed class InstancePodSecurityTests
{
    private static readonly LevelVersion RestrictedLatest = new(PodSecurityLevel.Restricted, PolicyVersion.Latest);

    public static TheoryData<string> Roles => ["primary", "standby"];

    [Theory]
    [MemberData(nameof(Roles))]
    public void Every_container_of_an_instance_pod_passes_restricted_latest(string role)
    {
        var pod = Build(role);

        var result = PodSecurityEvaluator.Evaluate(RestrictedLatest, AsJson(pod));

        Assert.True(result.Allowed, result.Details);
        foreach (var container in pod.Spec!.InitContainers!.Concat(pod.Spec.Containers))
        {
            Assert.False(container.SecurityContext!.AllowPrivilegeEscalation);
            Assert.True(container.SecurityContext.RunAsNonRoot);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities!.Drop);
        }

        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext!.SeccompProfile!.Type);
    }

    [Theory]
    [InlineData("capabilities", "unrestricted capabilities")]
    [InlineData("allowPrivilegeEscalation", "allowPrivilegeEscalation != false")]
    public void The_evaluator_refuses_the_pod_once_a_container_setting_is_taken_away(string field, string reason)
    {
        // The same evaluator names what is missing, so the test above can fail.
        var json = AsJson(Build("standby"));
        json["spec"]!["initContainers"]![0]!["securityContext"]!.AsObject().Remove(field);

        var result = PodSecurityEvaluator.Evaluate(RestrictedLatest, json);

        Assert.Contains(reason, result.Reasons, StringComparison.Ordinal);
        Assert.Contains("\"init\"", result.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void The_evaluator_refuses_the_pod_without_the_seccomp_profile()
    {
        var json = AsJson(Build("primary"));
        json["spec"]!["securityContext"]!.AsObject().Remove("seccompProfile");

        Assert.Contains("seccompProfile", PodSecurityEvaluator.Evaluate(RestrictedLatest, json).Reasons, StringComparison.Ordinal);
    }

    private static V1Pod Build(string role)
    {
        var cluster = TestClusters.Named("orders");
        var parameters = PostgresParameters.Merge(null, "4GB");
        return role == "primary" ? InstancePodBuilder.Primary(cluster, 1, parameters) : InstancePodBuilder.Standby(cluster, 2, parameters);
    }

    private static JsonObject AsJson(V1Pod pod) => JsonNode.Parse(KubernetesJson.Serialize(pod))!.AsObject();
}
