using PgReplica.Operator.Reconciliation;

namespace PgReplica.Operator.Tests.Reconciliation;

public sealed class ScalePlanTests
{
    private static ExistingInstances Existing(int primary, int[]? pods = null, int[]? slots = null, int[]? claims = null, int[]? services = null) =>
        new(primary, (pods ?? []).ToHashSet(), (slots ?? []).ToHashSet(), (claims ?? []).ToHashSet(), (services ?? []).ToHashSet());

    [Fact]
    public void A_new_cluster_numbers_standbys_after_the_primary()
    {
        var plan = ScalePlan.Decide(2, Existing(1, pods: [1], claims: [1]));
        Assert.Equal([2, 3], plan.ToCreate);
        Assert.Equal([2, 3], plan.Wanted);
        Assert.Empty(plan.ToRemove);
    }

    [Fact]
    public void Scale_up_takes_ordinals_above_the_highest_ever_seen()
    {
        var plan = ScalePlan.Decide(3, Existing(1, pods: [1, 2, 5], slots: [2, 5], claims: [1, 2, 5]));
        Assert.Equal([6], plan.ToCreate);
        Assert.Equal([2, 5, 6], plan.Wanted);
    }

    [Fact]
    public void Scale_down_removes_the_highest_ordinals_first_and_never_the_primary()
    {
        var plan = ScalePlan.Decide(1, Existing(1, pods: [1, 2, 3, 4], slots: [2, 3, 4]));
        Assert.Equal([4, 3], plan.ToRemove);
        Assert.Equal([2], plan.Wanted);
        Assert.Empty(plan.ToCreate);

        var none = ScalePlan.Decide(0, Existing(3, pods: [1, 2, 3], slots: [1, 2]));
        Assert.Equal([2, 1], none.ToRemove);
        Assert.DoesNotContain(3, none.ToRemove);
    }

    [Fact]
    public void A_standby_whose_pod_was_deleted_keeps_its_ordinal_because_its_slot_remains()
    {
        var plan = ScalePlan.Decide(2, Existing(1, pods: [1, 2], slots: [2, 3], claims: [1, 2, 3], services: [2, 3]));
        Assert.Equal([2, 3], plan.Wanted);
        Assert.Empty(plan.ToCreate);
        Assert.Empty(plan.ToRemove);
    }

    [Fact]
    public void A_removal_cut_short_after_the_slot_was_dropped_is_finished_not_revived()
    {
        // Ordinal 3 lost its pod and slot but kept its PVC; scaling back up must not reuse it.
        var plan = ScalePlan.Decide(2, Existing(1, pods: [1, 2], slots: [2], claims: [1, 2, 3], services: [2]));
        Assert.Equal([4], plan.ToCreate);
        Assert.Equal([2, 4], plan.Wanted);
        Assert.Equal([3], plan.ToRemove);
    }

    [Fact]
    public void Steady_state_plans_nothing_and_negative_wants_mean_zero()
    {
        var steady = ScalePlan.Decide(2, Existing(1, pods: [1, 2, 3], slots: [2, 3], claims: [1, 2, 3], services: [2, 3]));
        Assert.Empty(steady.ToCreate);
        Assert.Empty(steady.ToRemove);

        var negative = ScalePlan.Decide(-1, Existing(1, pods: [1, 2], slots: [2]));
        Assert.Equal([2], negative.ToRemove);
        Assert.Empty(negative.Wanted);
    }

    [Fact]
    public void A_slot_created_before_a_crash_is_picked_up_not_duplicated()
    {
        // The operator died after creating slot 3 and before its PVC and pod: the next pass keeps 3.
        var plan = ScalePlan.Decide(2, Existing(1, pods: [1, 2], slots: [2, 3], claims: [1, 2]));
        Assert.Equal([2, 3], plan.Wanted);
        Assert.Empty(plan.ToCreate);
        Assert.Empty(plan.ToRemove);
    }
}
