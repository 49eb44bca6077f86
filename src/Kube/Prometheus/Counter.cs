namespace PgReplica.Kube.Prometheus;

/// <summary>A counter family; names end in <c>_total</c>.</summary>
public sealed class Counter(string name, string help, params string[] labelNames)
    : MetricFamily(name, help, MetricType.Counter, labelNames)
{
    /// <summary>The child for these label values.</summary>
    public CounterChild WithLabels(params string[] labelValues) => GetOrAdd(labelValues, () => new CounterChild());

    /// <summary>Adds to the unlabelled child.</summary>
    public void Inc(double by = 1) => WithLabels().Inc(by);
}

/// <summary>One labelled counter series.</summary>
public sealed class CounterChild
{
    private double _value;
    private readonly object _gate = new();

    /// <summary>Current value.</summary>
    public double Value
    {
        get { lock (_gate) { return _value; } }
    }

    /// <summary>Adds a non-negative amount.</summary>
    public void Inc(double by = 1)
    {
        if (by < 0 || double.IsNaN(by))
        {
            throw new ArgumentOutOfRangeException(nameof(by), "a counter only goes up");
        }

        lock (_gate)
        {
            _value += by;
        }
    }
}
