using System.Collections.Concurrent;

namespace PgReplica.Kube.Prometheus;

/// <summary>The Prometheus metric types this exposition writes.</summary>
public enum MetricType
{
    /// <summary>A monotonically increasing count.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Observations counted into cumulative buckets.</summary>
    Histogram,
}

/// <summary>One metric family: a name, help text, type, label names and a child per label-value tuple.</summary>
public abstract class MetricFamily
{
    private readonly ConcurrentDictionary<LabelValues, object> _children = new();

    /// <summary>Creates a family after checking its name and labels follow Prometheus conventions.</summary>
    protected MetricFamily(string name, string help, MetricType type, IReadOnlyList<string> labelNames)
    {
        MetricNaming.ValidateFamily(name, type);
        foreach (var label in labelNames)
        {
            MetricNaming.ValidateLabel(label);
        }

        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
    }

    /// <summary>Family name, e.g. <c>pgreplica_reconcile_total</c>.</summary>
    public string Name { get; }

    /// <summary>One-line help.</summary>
    public string Help { get; }

    /// <summary>Metric type.</summary>
    public MetricType Type { get; }

    /// <summary>Label names, in order.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Drops the child with these label values (a standby that no longer exists).</summary>
    public bool RemoveLabelled(params string[] labelValues) => _children.TryRemove(Key(labelValues), out _);

    /// <summary>Drops every child whose label values match the predicate.</summary>
    public void RemoveWhere(Func<IReadOnlyList<string>, bool> predicate)
    {
        foreach (var key in _children.Keys)
        {
            if (predicate(key.Values))
            {
                _children.TryRemove(key, out _);
            }
        }
    }

    internal IEnumerable<(IReadOnlyList<string> Labels, object Child)> Children() =>
        _children.Select(kv => ((IReadOnlyList<string>)kv.Key.Values, kv.Value))
            .OrderBy(c => string.Join('\u0001', c.Item1), StringComparer.Ordinal);

    /// <summary>The child for these label values, created on first use.</summary>
    protected TChild GetOrAdd<TChild>(string[] labelValues, Func<TChild> create)
        where TChild : class => (TChild)_children.GetOrAdd(Key(labelValues), _ => create());

    private LabelValues Key(string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"{Name} takes {LabelNames.Count} label values, got {labelValues.Length}");
        }

        return new LabelValues(labelValues);
    }

    private sealed class LabelValues(string[] values) : IEquatable<LabelValues>
    {
        public string[] Values { get; } = values;

        public bool Equals(LabelValues? other) => other is not null && Values.AsSpan().SequenceEqual(other.Values);

        public override bool Equals(object? obj) => Equals(obj as LabelValues);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var v in Values)
            {
                hash.Add(v, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
