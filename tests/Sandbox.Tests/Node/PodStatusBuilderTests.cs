using System.Text.Json.Nodes;
using PgReplica.Sandbox.Node;

namespace PgReplica.Sandbox.Tests.Node;

public class PodStatusBuilderTests
{
    private static readonly PodPlacement Placement = new("127.10.0.1", "127.0.0.1", "2026-01-01T00:00:00Z");
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PhaseFollowsInitializationRunningContainersAndHowTheyEnded()
    {
        Assert.Equal("Pending", PodStatusBuilder.Phase(Pod(initialized: false, Container())));
        Assert.Equal("Pending", PodStatusBuilder.Phase(Pod(initialized: true, Container())));
        Assert.Equal("Running", PodStatusBuilder.Phase(Pod(initialized: true, Container(id: "sandbox://1"))));
        Assert.Equal("Succeeded", PodStatusBuilder.Phase(Pod(initialized: true, Container(id: "sandbox://1", done: true, exit: 0))));
        Assert.Equal("Failed", PodStatusBuilder.Phase(Pod(initialized: true, Container(id: "sandbox://1", done: true, exit: 0), Container(id: "sandbox://2", done: true, exit: 1))));
        Assert.Equal("Failed", PodStatusBuilder.Phase(Pod(initialized: false, Container()) with { Failed = true }));
    }

    [Fact]
    public void AConditionKeepsItsTransitionTimeUntilItChanges()
    {
        var (first, conditions) = PodStatusBuilder.Build(Pod(initialized: true, Container(id: "sandbox://1")), Placement, new Dictionary<string, PodCondition>(), T0);
        Assert.Equal("False", Condition(first, "Ready")["status"]!.ToString());
        Assert.Equal("ContainersNotReady", Condition(first, "Ready")["reason"]!.ToString());

        var later = T0.AddMinutes(1);
        var (second, conditions2) = PodStatusBuilder.Build(Pod(initialized: true, Container(id: "sandbox://1", ready: true)), Placement, conditions, later);
        Assert.Equal("True", Condition(second, "Ready")["status"]!.ToString());
        Assert.Equal("2026-01-01T00:01:00Z", Condition(second, "Ready")["lastTransitionTime"]!.ToString());
        Assert.Equal("2026-01-01T00:00:00Z", Condition(second, "Initialized")["lastTransitionTime"]!.ToString());
        Assert.Equal(["Initialized", "Ready", "ContainersReady", "PodScheduled"], ((JsonArray)second["conditions"]!).Select(c => c!["type"]!.ToString()));

        var (third, _) = PodStatusBuilder.Build(Pod(initialized: true, Container(id: "sandbox://1", ready: true)), Placement, conditions2, later.AddMinutes(5));
        Assert.Equal("2026-01-01T00:01:00Z", Condition(third, "Ready")["lastTransitionTime"]!.ToString());
        Assert.Equal("127.10.0.1", third["podIP"]!.ToString());
        Assert.Equal("sandbox://1", third["containerStatuses"]![0]!["containerID"]!.ToString());
        Assert.Null(third["initContainerStatuses"]);
    }

    private static JsonObject Condition(JsonObject status, string type) =>
        ((JsonArray)status["conditions"]!).OfType<JsonObject>().Single(c => c["type"]!.ToString() == type);

    private static PodSnapshot Pod(bool initialized, params ContainerSnapshot[] main) => new(initialized, false, [], main);

    private static ContainerSnapshot Container(string? id = null, bool ready = false, bool done = false, int? exit = null) =>
        new("c", "postgres", "", ContainerSlot.Waiting("ContainerCreating", null), null, ready, true, 0, id, done, exit);
}
