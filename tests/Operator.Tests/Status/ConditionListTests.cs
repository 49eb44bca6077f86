using PgReplica.Operator.Status;

namespace PgReplica.Operator.Tests.Status;

public sealed class ConditionListTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Transition_time_moves_only_when_the_status_flips()
    {
        var first = ConditionList.Set(null, "Ready", false, "Initializing", "starting", 1, T0);
        var same = ConditionList.Set(first, "Ready", false, "Scaling", "1/2 streaming", 2, T0.AddMinutes(1));
        var flipped = ConditionList.Set(same, "Ready", true, "AllStreaming", "2/2 streaming", 2, T0.AddMinutes(2));

        Assert.Equal(T0, Assert.Single(same).LastTransitionTime);
        Assert.Equal("Scaling", same[0].Reason);
        Assert.Equal(2, same[0].ObservedGeneration);
        Assert.Equal(T0.AddMinutes(2), Assert.Single(flipped).LastTransitionTime);
        Assert.Equal("True", flipped[0].Status);
        Assert.Equal("False", first[0].Status); // inputs are not mutated
    }

    [Fact]
    public void Same_as_ignores_order_and_sees_any_field_change()
    {
        var a = ConditionList.Set(ConditionList.Set(null, "Ready", true, "R", "m", 1, T0), "Degraded", false, "D", "m", 1, T0);
        var b = ConditionList.Set(ConditionList.Set(null, "Degraded", false, "D", "m", 1, T0), "Ready", true, "R", "m", 1, T0);
        Assert.True(ConditionList.SameAs(a, b));
        Assert.False(ConditionList.SameAs(a, ConditionList.Set(b, "Ready", true, "R", "other", 1, T0)));
        Assert.False(ConditionList.SameAs(a, ConditionList.Set(b, "Ready", true, "R", "m", 2, T0)));
    }
}
