namespace PgReplica.Kube.Prometheus;

/// <summary>The set of metric families one /metrics endpoint exposes (as prometheus-net's CollectorRegistry).</summary>
public sealed class CollectorRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);

    /// <summary>Registers a counter, or returns the one already registered under the name.</summary>
    public Counter CreateCounter(string name, string help, params string[] labelNames) =>
        Register(name, () => new Counter(name, help, labelNames));

    /// <summary>Registers a gauge, or returns the one already registered under the name.</summary>
    public Gauge CreateGauge(string name, string help, params string[] labelNames) =>
        Register(name, () => new Gauge(name, help, labelNames));

    /// <summary>Registers a histogram, or returns the one already registered under the name.</summary>
    public Histogram CreateHistogram(string name, string help, double[]? buckets = null, params string[] labelNames) =>
        Register(name, () => new Histogram(name, help, buckets, labelNames));

    /// <summary>Every family, ordered by name.</summary>
    public IReadOnlyList<MetricFamily> Families()
    {
        lock (_gate)
        {
            return _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        }
    }

    private T Register<T>(string name, Func<T> create)
        where T : MetricFamily
    {
        lock (_gate)
        {
            if (_families.TryGetValue(name, out var existing))
            {
                return existing as T ?? throw new InvalidOperationException($"metric '{name}' is already registered as {existing.Type}");
            }

            var created = create();
            _families[name] = created;
            return created;
        }
    }
}
