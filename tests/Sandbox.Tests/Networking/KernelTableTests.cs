using System.Net;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Store;
using PgReplica.Sandbox.Tests.Node;

namespace PgReplica.Sandbox.Tests.Networking;

public class KernelTableTests
{
    [Fact]
    public void ServicesRenderAsOneDnatPerPortRoundRobinOverBackendsAndARejectForTheRest()
    {
        var body = ServiceRules.Render(20,
        [
            new ForwardedPort(IPAddress.Parse("127.20.0.2"), 5432, [new IPEndPoint(IPAddress.Parse("127.10.0.1"), 5432), new IPEndPoint(IPAddress.Parse("127.10.0.2"), 5433)]),
            new ForwardedPort(IPAddress.Parse("127.20.0.1"), 5432, [new IPEndPoint(IPAddress.Parse("127.10.0.1"), 5432)]),
            new ForwardedPort(IPAddress.Parse("127.20.0.3"), 5432, []),
        ]);

        Assert.Equal("""
              chain services {
                type nat hook output priority -100; policy accept;
                ip daddr 127.20.0.1 tcp dport 5432 dnat to 127.10.0.1:5432
                ip daddr 127.20.0.2 tcp dport 5432 dnat to numgen inc mod 2 map { 0 : 127.10.0.1 . 5432, 1 : 127.10.0.2 . 5433 }
              }
              chain no_endpoints {
                type filter hook output priority 0; policy accept;
                ip daddr 127.20.0.0/16 meta l4proto tcp reject with tcp reset
              }

            """, body);
    }

    [Fact]
    public void PodConnectionsAreMarkedByCgroupAndPartitionsDropBothDirectionsOfTheirConnections()
    {
        var a = IPAddress.Parse("127.10.0.1");
        var b = IPAddress.Parse("127.10.0.2");
        var body = PodTrafficRules.Render(10,
            [new PodIdentity(b, "unified/pgreplica/x/b", 3), new PodIdentity(a, "unified/pgreplica/x/a", 3)],
            [new Partition(a, null), new Partition(b, a), new Partition(a, null)]);

        Assert.Equal("""
              chain classify {
                type filter hook output priority -150; policy accept;
                ct state new meta mark 0x7f000001 ct mark set 0x7f000001
                ct state new socket cgroupv2 level 3 "unified/pgreplica/x/a" ct mark set 0x7f0a0001
                ct state new socket cgroupv2 level 3 "unified/pgreplica/x/b" ct mark set 0x7f0a0002
              }
              chain partitions {
                type filter hook output priority 0; policy accept;
                ct mark 0x00000000 ct reply ip saddr 127.10.0.1 drop
                ct mark 0x7f0a0001 ct reply ip saddr != 127.10.0.0/16 drop
                ct mark 0x7f0a0002 ct reply ip saddr 127.10.0.1 drop
                ct mark 0x7f0a0001 ct reply ip saddr 127.10.0.2 drop
              }

            """, body);
    }

    [Fact]
    public async Task TheNextSandboxRemovesTablesOfOneThatDiedAndLeavesThoseOfRunningOnes()
    {
        // A sandbox that died left its table; one that runs holds its range's claim.
        await NftCommand.ApplyAsync("table ip pgreplica_services_51 {\n}\n");
        using (var live = RangeClaim.TryTake(52))
        {
            Assert.NotNull(live);
            Assert.Null(RangeClaim.TryTake(52));
            await NftCommand.ApplyAsync("table ip pgreplica_services_52 {\n}\n");

            await using var proxies = new ServiceProxies(new InMemoryObjectStore(), new ServiceProxyOptions { ClusterAddressOctet = 53 });
            await proxies.StartAsync();

            await NodeEnvironment.WaitUntilAsync(() => NftCommand.TablesAsync().Result.Contains("pgreplica_services_53"), "the new sandbox's table");
            var tables = await NftCommand.TablesAsync();
            Assert.DoesNotContain("pgreplica_services_51", tables);
            Assert.Contains("pgreplica_services_52", tables);
            Assert.Contains((byte)53, LoopbackRanges.InUse());
        }

        await new KernelTable("services", 52).DeleteAsync();
    }
}
