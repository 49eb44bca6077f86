namespace PgReplica.Operator.Reconciliation;

/// <summary>The ordinals found in a cluster's Pods, replication slots, PVCs and per-instance Services.</summary>
/// <param name="PrimaryOrdinal">The primary's ordinal; never a standby, never removed.</param>
public sealed record ExistingInstances(int PrimaryOrdinal, IReadOnlySet<int> Pods, IReadOnlySet<int> Slots, IReadOnlySet<int> Claims, IReadOnlySet<int> Services)
{
    /// <summary>
    /// Standbys that count as existing: they have a slot or a Pod. Creation goes slot → PVC → Pod → Service,
    /// so a standby cut short while being created always has its slot; a Pod deleted by someone else keeps its slot.
    /// </summary>
    public IEnumerable<int> Standbys => Pods.Union(Slots).Where(o => o != PrimaryOrdinal);

    /// <summary>
    /// Ordinals with only a PVC or Service left: removal goes Pod → slot → PVC → Service, so these are removals
    /// cut short after the slot was dropped. Reviving one would pair old data with a new slot, so they are only finished off.
    /// </summary>
    public IEnumerable<int> Leftovers => Claims.Union(Services).Except(Standbys).Where(o => o != PrimaryOrdinal);
}

/// <summary>The standbys to keep or create and the ones to remove, highest ordinal first.</summary>
public sealed record ScalePlan(IReadOnlyList<int> Wanted, IReadOnlyList<int> ToCreate, IReadOnlyList<int> ToRemove)
{
    /// <summary>
    /// Decides the standby ordinals for <paramref name="wantedStandbys"/>. Existing standbys are kept lowest
    /// first; new ones take ordinals above the highest one that still has a pod, slot, PVC or Service (so a new
    /// standby never meets a stale PVC or slot of an old one); removal takes the highest ordinals first.
    /// </summary>
    public static ScalePlan Decide(int wantedStandbys, ExistingInstances existing)
    {
        var count = Math.Max(0, wantedStandbys);
        var standbys = existing.Standbys.Order().ToList();
        var keep = standbys.Take(count).ToList();
        var create = new List<int>();
        var highest = standbys.Concat(existing.Leftovers).Append(existing.PrimaryOrdinal).Max();
        while (keep.Count + create.Count < count) create.Add(++highest);

        var remove = standbys.Skip(count)
            .Concat(existing.Leftovers)
            .Distinct()
            .OrderDescending()
            .ToList();
        return new ScalePlan(keep.Concat(create).ToList(), create, remove);
    }
}
