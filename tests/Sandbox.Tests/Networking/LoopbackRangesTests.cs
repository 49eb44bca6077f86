using PgReplica.Sandbox.Networking;

namespace PgReplica.Sandbox.Tests.Networking;

public class LoopbackRangesTests
{
    [Fact]
    public void ListeningLoopbackSocketsMarkTheirSecondOctetAsUsed()
    {
        var file = Path.GetTempFileName();
        File.WriteAllLines(file,
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 01000A7F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 1 1",   // 127.10.0.1:5432 LISTEN
            "   1: 01001E7F:1538 0100147F:9C40 01 00000000:00000000 00:00000000 00000000   106        0 2 1",   // 127.30.0.1 ESTABLISHED
            "   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1",   // 127.0.0.1:8080 LISTEN
            "   3: 0101A8C0:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1",   // 192.168.1.1:22
        ]);
        try
        {
            var used = LoopbackRanges.InUse(file);

            Assert.Equal(new HashSet<byte> { 10, 0 }, used);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void APreferredRangeInUseGivesWayToTheNextFreeOne()
    {
        Assert.Equal(10, LoopbackRanges.Choose(10, new HashSet<byte>()));
        Assert.Equal(12, LoopbackRanges.Choose(10, new HashSet<byte> { 10, 11 }));
        Assert.Equal(21, LoopbackRanges.Choose(20, new HashSet<byte>(), 20));
        Assert.Equal(10, LoopbackRanges.Choose(249, new HashSet<byte> { 249 }));
    }
}
