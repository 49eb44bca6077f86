using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Kube.Models;

namespace PgReplica.Kube.Tests.Models;

public class ModelJsonTests
{
    [Fact]
    public void PodRoundTripKeepsUnknownFieldsAndNamesFieldsCamelCase()
    {
        const string json = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns","managedFields":[{"manager":"x"}]},
             "spec":{"containers":[{"name":"pg","image":"postgres:17","env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}},
               {"name":"IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
               "readinessProbe":{"exec":{"command":["pg_isready"]},"periodSeconds":2},
               "livenessProbe":{"tcpSocket":{"port":"pg"}},"startupProbe":{"httpGet":{"path":"/","port":8080}},
               "resources":{"limits":{"memory":"1Gi"}},"futureField":42}],
               "volumes":[{"name":"d","secret":{"secretName":"s","defaultMode":384}}],"dnsPolicy":"ClusterFirst"},
             "status":{"phase":"Running","podIP":"127.0.0.5","containerStatuses":[{"name":"pg","ready":true,"restartCount":2,
               "state":{"terminated":{"exitCode":1}}}]}}
            """;
        var pod = KubernetesJson.Deserialize<Pod>(json)!;
        var c = pod.Spec!.Containers[0];
        Assert.Equal("k", c.Env![0].ValueFrom!.SecretKeyRef!.Key);
        Assert.Equal("status.podIP", c.Env[1].ValueFrom!.FieldRef!.FieldPath);
        Assert.Equal("pg", c.LivenessProbe!.TcpSocket!.Port.StringValue);
        Assert.Equal(8080, c.StartupProbe!.HttpGet!.Port.IntValue);
        Assert.Equal(384, pod.Spec.Volumes![0].Secret!.DefaultMode);
        Assert.Equal("127.0.0.5", pod.Status!.PodIP);
        Assert.Equal(1, pod.Status.ContainerStatuses![0].State!.Terminated!.ExitCode);

        var back = JsonNode.Parse(KubernetesJson.Serialize(pod))!;
        Assert.Equal("ClusterFirst", (string?)back["spec"]!["dnsPolicy"]);
        Assert.Equal(42, (int?)back["spec"]!["containers"]![0]!["futureField"]);
        Assert.Equal("x", (string?)back["metadata"]!["managedFields"]![0]!["manager"]);
        Assert.Equal("pg", (string?)back["spec"]!["containers"]![0]!["livenessProbe"]!["tcpSocket"]!["port"]);
        Assert.Equal(8080, (int?)back["spec"]!["containers"]![0]!["startupProbe"]!["httpGet"]!["port"]);
        // Nulls are omitted rather than written as null.
        Assert.False(back["spec"]!["containers"]![0]!.AsObject().ContainsKey("command"));
    }

    [Fact]
    public void ServiceTargetPortIsIntOrString()
    {
        var svc = new Service { Spec = new ServiceSpec { Ports = [new() { Port = 5432, TargetPort = "postgres" }, new() { Port = 80, TargetPort = 8080 }] } };
        var node = JsonNode.Parse(KubernetesJson.Serialize(svc))!;
        Assert.Equal("postgres", (string?)node["spec"]!["ports"]![0]!["targetPort"]);
        Assert.Equal(8080, (int?)node["spec"]!["ports"]![1]!["targetPort"]);
        Assert.Equal("v1", (string?)node["apiVersion"]);
        Assert.Equal("Service", (string?)node["kind"]);
    }

    [Fact]
    public void SecretDataIsBase64OnTheWire()
    {
        var secret = new Secret { Data = new() { ["password"] = Encoding.UTF8.GetBytes("s3cret") } };
        var node = JsonNode.Parse(KubernetesJson.Serialize(secret))!;
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret")), (string?)node["data"]!["password"]);
        var back = KubernetesJson.Deserialize<Secret>(node.ToJsonString())!;
        Assert.Equal("s3cret", Encoding.UTF8.GetString(back.Data!["password"]));
    }

    [Fact]
    public void LeaseTimesAreMicroTime()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234560);
        var lease = new Lease { Spec = new LeaseSpec { HolderIdentity = "a", RenewTime = at, AcquireTime = at.ToOffset(TimeSpan.FromHours(2)) } };
        var node = JsonNode.Parse(KubernetesJson.Serialize(lease))!;
        Assert.Equal("2026-01-02T03:04:05.123456Z", (string?)node["spec"]!["renewTime"]);
        Assert.Equal("2026-01-02T03:04:05.123456Z", (string?)node["spec"]!["acquireTime"]);
        Assert.Equal(at, KubernetesJson.Deserialize<Lease>(node.ToJsonString())!.Spec!.RenewTime);
    }

    [Fact]
    public void MetaTimesAreWrittenToTheSecondInUtc()
    {
        var at = new DateTimeOffset(2026, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)).AddMilliseconds(789);
        var node = JsonNode.Parse(KubernetesJson.Serialize(new Condition { Type = "Ready", LastTransitionTime = at }))!;
        Assert.Equal("2026-01-02T03:04:05Z", (string?)node["lastTransitionTime"]);
        var meta = JsonNode.Parse(KubernetesJson.Serialize(new ObjectMeta { Name = "x", CreationTimestamp = at }))!;
        Assert.Equal("2026-01-02T03:04:05Z", (string?)meta["creationTimestamp"]);
        Assert.Equal(at.AddMilliseconds(-789), KubernetesJson.Deserialize<ObjectMeta>(meta.ToJsonString())!.CreationTimestamp);
    }

    [Fact]
    public void StatusDecodesErrorBody()
    {
        const string json = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nope","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}""";
        var status = KubernetesJson.Deserialize<Status>(json)!;
        Assert.Equal(404, status.Code);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("Failure", status.Outcome);
        Assert.Equal("x", status.Details!.Name);
    }

    [Fact]
    public void CrdKeepsSchemaAsJsonTree()
    {
        const string json = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"things.example.io"},
             "spec":{"group":"example.io","scope":"Namespaced","names":{"plural":"things","kind":"Thing","shortNames":["th"]},
               "versions":[{"name":"v1","served":true,"storage":true,
                 "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}},
                 "subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas","statusReplicasPath":".status.replicas"}},
                 "additionalPrinterColumns":[{"name":"Phase","type":"string","jsonPath":".status.phase"}]}]}}
            """;
        var crd = KubernetesJson.Deserialize<CustomResourceDefinition>(json)!;
        var v = crd.Spec.Versions[0];
        Assert.True((bool)v.Schema!.OpenApiV3Schema!["x-kubernetes-preserve-unknown-fields"]!);
        Assert.NotNull(v.Subresources!.Status);
        Assert.Equal(".spec.replicas", v.Subresources.Scale!.SpecReplicasPath);
        var back = JsonNode.Parse(KubernetesJson.Serialize(crd))!;
        Assert.Empty(back["spec"]!["versions"]![0]!["subresources"]!["status"]!.AsObject());
    }

    [Fact]
    public void EntityInfoBuildsPaths()
    {
        Assert.Equal("/api/v1/namespaces/ns/pods/p", EntityInfo.Of<Pod>().ObjectPath("p", "ns"));
        Assert.Equal("/api/v1/pods", EntityInfo.Of<Pod>().CollectionPath(null));
        Assert.Equal("/apis/coordination.k8s.io/v1/namespaces/ns/leases", EntityInfo.Of<Lease>().CollectionPath("ns"));
        Assert.Equal("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x", EntityInfo.Of<CustomResourceDefinition>().ObjectPath("x", "ignored"));
        Assert.Equal("coordination.k8s.io/v1", EntityInfo.Of<Lease>().ApiVersion);
    }
}
