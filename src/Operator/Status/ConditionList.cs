using k8s;
using k8s.Models;

namespace PgReplica.Operator.Status;

/// <summary>metav1.Condition bookkeeping: lastTransitionTime moves only when a condition's status flips.</summary>
public static class ConditionList
{
    /// <summary>The condition types the operator maintains.</summary>
    public static class Types
    {
        /// <summary>Every wanted standby streams and the primary is up.</summary>
        public const string Ready = "Ready";

        /// <summary>The operator is creating, cloning or removing something.</summary>
        public const string Progressing = "Progressing";

        /// <summary>Something is wrong: the primary is down, a standby is disconnected, or input was refused.</summary>
        public const string Degraded = "Degraded";
    }

    /// <summary>
    /// Returns a copy of <paramref name="existing"/> with <paramref name="type"/> set. The transition time is
    /// kept when the status did not change, so that repeated passes write nothing new.
    /// </summary>
    public static List<V1Condition> Set(IReadOnlyList<V1Condition>? existing, string type, bool status, string reason, string message, long? generation, DateTimeOffset now)
    {
        var result = (existing ?? []).Select(Copy).ToList();
        var text = status ? "True" : "False";
        var index = result.FindIndex(c => c.Type == type);
        var previous = index >= 0 ? result[index] : null;
        var updated = new V1Condition
        {
            Type = type,
            Status = text,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = previous is not null && previous.Status == text ? previous.LastTransitionTime : now.UtcDateTime,
        };
        if (index >= 0) result[index] = updated;
        else result.Add(updated);
        return result;
    }

    /// <summary>The condition of a type, or null.</summary>
    public static V1Condition? Find(IReadOnlyList<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>True when both lists hold the same conditions (order ignored).</summary>
    public static bool SameAs(IReadOnlyList<V1Condition>? a, IReadOnlyList<V1Condition>? b)
    {
        var left = a ?? [];
        var right = b ?? [];
        return left.Count == right.Count && left.All(x => right.Any(y =>
            x.Type == y.Type && x.Status == y.Status && x.Reason == y.Reason && x.Message == y.Message
            && x.ObservedGeneration == y.ObservedGeneration && x.LastTransitionTime == y.LastTransitionTime));
    }

    private static V1Condition Copy(V1Condition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        Reason = c.Reason,
        Message = c.Message,
        ObservedGeneration = c.ObservedGeneration,
        LastTransitionTime = c.LastTransitionTime,
    };
}
