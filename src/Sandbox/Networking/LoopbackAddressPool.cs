using System.Net;

namespace PgReplica.Sandbox.Networking;

/// <summary>
/// Hands out loopback addresses from one /16 (e.g. 127.10.0.0/16), sticky per key: the same key gets the
/// same address again, so a pod or Service keeps its IP across restarts of the sandbox's components.
/// </summary>
public sealed class LoopbackAddressPool
{
    private readonly object _gate = new();
    private readonly byte _second;
    private readonly Dictionary<string, IPAddress> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<IPAddress> _taken = new();
    private int _next = 1;

    /// <summary>A pool over 127.<paramref name="secondOctet"/>.0.0/16.</summary>
    public LoopbackAddressPool(byte secondOctet)
    {
        _second = secondOctet;
    }

    /// <summary>True when the address lies in this pool's /16.</summary>
    public bool Contains(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return b.Length == 4 && b[0] == 127 && b[1] == _second;
    }

    /// <summary>The key's address, allocating the next free one the first time.</summary>
    public IPAddress AddressFor(string key)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var known))
            {
                return known;
            }

            for (var tries = 0; tries < 65534; tries++)
            {
                var n = _next;
                _next = _next >= 65534 ? 1 : _next + 1;
                // Skip .0 and .255 in the last octet so no address looks like a network or broadcast address.
                if ((n & 0xFF) is 0 or 255)
                {
                    continue;
                }

                var candidate = new IPAddress(new byte[] { 127, _second, (byte)(n >> 8), (byte)(n & 0xFF) });
                if (_taken.Add(candidate))
                {
                    _byKey[key] = candidate;
                    return candidate;
                }
            }

            throw new InvalidOperationException($"loopback pool 127.{_second}.0.0/16 is exhausted");
        }
    }

    /// <summary>Records an address already in use (e.g. a clusterIP stored before this process started) for the key.</summary>
    public void Reserve(string key, IPAddress address)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var old))
            {
                _taken.Remove(old);
            }

            _byKey[key] = address;
            _taken.Add(address);
        }
    }

    /// <summary>Frees the key's address for others.</summary>
    public void Release(string key)
    {
        lock (_gate)
        {
            if (_byKey.Remove(key, out var old))
            {
                _taken.Remove(old);
            }
        }
    }
}
