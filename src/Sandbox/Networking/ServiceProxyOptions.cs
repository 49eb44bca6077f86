namespace PgReplica.Sandbox.Networking;

/// <summary>Settings of the Service proxies.</summary>
public sealed class ServiceProxyOptions
{
    /// <summary>Second octet of the ClusterIP range 127.N.0.0/16.</summary>
    public byte ClusterAddressOctet { get; init; } = 20;
}
