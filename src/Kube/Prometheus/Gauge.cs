namespace PgReplica.Kube.Prometheus;

/// <summary>A gauge family.</summary>
public sealed class Gauge(string name, string help, params string[] labelNames)
    : MetricFamily(name, help, MetricType.Gauge, labelNames)
{
    /// <summary>The child for these label values.</summary>
    public GaugeChild WithLabels(params string[] labelValues) => GetOrAdd(labelValues, () => new GaugeChild());

    /// <summary>Sets the unlabelled child.</summary>
    public void Set(double value) => WithLabels().Set(value);
}

/// <summary>One labelled gauge series.</summary>
public sealed class GaugeChild
{
    private double _value;
    private readonly object _gate = new();

    /// <summary>Current value.</summary>
    public double Value
    {
        get { lock (_gate) { return _value; } }
    }

    /// <summary>Sets the value.</summary>
    public void Set(double value)
    {
        lock (_gate)
        {
            _value = value;
        }
    }

    /// <summary>Adds to the value (negative to subtract).</summary>
    public void Inc(double by = 1)
    {
        lock (_gate)
        {
            _value += by;
        }
    }
}
