namespace PgReplica.Kube.Prometheus;

/// <summary>A histogram family with fixed, ascending upper bounds.</summary>
public sealed class Histogram : MetricFamily
{
    /// <summary>prometheus-net's default buckets, in seconds.</summary>
    public static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Creates a histogram; buckets must be finite and strictly ascending (+Inf is implied).</summary>
    public Histogram(string name, string help, double[]? buckets = null, params string[] labelNames)
        : base(name, help, MetricType.Histogram, labelNames)
    {
        Buckets = buckets ?? DefaultBuckets;
        for (var i = 0; i < Buckets.Count; i++)
        {
            if (!double.IsFinite(Buckets[i]) || (i > 0 && Buckets[i] <= Buckets[i - 1]))
            {
                throw new ArgumentException("histogram buckets must be finite and strictly ascending", nameof(buckets));
            }
        }

        if (labelNames.Contains("le"))
        {
            throw new ArgumentException("'le' is reserved for histogram buckets", nameof(labelNames));
        }
    }

    /// <summary>Upper bounds, without +Inf.</summary>
    public IReadOnlyList<double> Buckets { get; }

    /// <summary>The child for these label values.</summary>
    public HistogramChild WithLabels(params string[] labelValues) => GetOrAdd(labelValues, () => new HistogramChild(Buckets));

    /// <summary>Observes on the unlabelled child.</summary>
    public void Observe(double value) => WithLabels().Observe(value);
}

/// <summary>One labelled histogram series.</summary>
public sealed class HistogramChild(IReadOnlyList<double> buckets)
{
    private readonly long[] _counts = new long[buckets.Count];
    private readonly object _gate = new();
    private long _count;
    private double _sum;

    /// <summary>Records one observation.</summary>
    public void Observe(double value)
    {
        lock (_gate)
        {
            for (var i = 0; i < buckets.Count; i++)
            {
                if (value <= buckets[i])
                {
                    _counts[i]++;
                }
            }

            _count++;
            _sum += value;
        }
    }

    /// <summary>A consistent copy: cumulative bucket counts (per upper bound), total count and sum.</summary>
    public (IReadOnlyList<(double UpperBound, long Count)> Buckets, long Count, double Sum) Snapshot()
    {
        lock (_gate)
        {
            var list = new List<(double, long)>(buckets.Count);
            for (var i = 0; i < buckets.Count; i++)
            {
                list.Add((buckets[i], _counts[i]));
            }

            return (list, _count, _sum);
        }
    }
}
