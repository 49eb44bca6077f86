using PgReplica.Entities.Naming;

namespace PgReplica.Entities.Tests;

public class NamingTests
{
    private static readonly ClusterNames Orders = new("orders");

    [Fact]
    public void DerivedNames()
    {
        Assert.Equal("orders-1", Orders.Pod(1));
        Assert.Equal("orders-12", Orders.InstanceService(12));
        Assert.Equal("orders-2-data", Orders.DataVolumeClaim(2));
        Assert.Equal("orders-rw", Orders.ReadWriteService);
        Assert.Equal("orders-ro", Orders.ReadOnlyService);
        Assert.Equal("orders-replication", Orders.ReplicationSecret);
        Assert.Equal("orders_3", Orders.Slot(3));
    }

    [Fact]
    public void SlotNamesMapDashesToUnderscores() =>
        Assert.Equal("billing_eu_west_2", new ClusterNames("billing-eu-west").Slot(2));

    [Fact]
    public void LongestNamesStillFit()
    {
        var names = new ClusterNames("a" + new string('b', 48) + "c");
        Assert.True(names.Slot(int.MaxValue).Length <= SlotNames.MaxLength);
        Assert.True(SlotNames.IsValid(names.Slot(int.MaxValue)));
        Assert.True(ResourceNames.IsDns1035Label(names.Pod(int.MaxValue)));
        Assert.True(ResourceNames.IsDns1035Label(names.ReplicationSecret));
        Assert.True(ResourceNames.IsDns1035Label(names.ReadWriteService));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Orders")]
    [InlineData("9orders")]
    [InlineData("orders-")]
    [InlineData("or.ders")]
    [InlineData("orders_1")]
    [InlineData("a23456789012345678901234567890123456789012345678901")]
    public void InvalidClusterNamesAreRefused(string name)
    {
        Assert.NotNull(ResourceNames.ClusterNameError(name));
        Assert.Throws<ArgumentException>(() => new ClusterNames(name));
    }

    [Fact]
    public void OrdinalsStartAtOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Orders.Pod(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Orders.Slot(-1));
    }

    [Theory]
    [InlineData("orders-1", 1)]
    [InlineData("orders-42", 42)]
    [InlineData("orders-0", null)]
    [InlineData("orders-01", null)]
    [InlineData("orders-rw", null)]
    [InlineData("orders-2-data", null)]
    [InlineData("orders-x-2", null)]
    [InlineData("other-1", null)]
    [InlineData("orders-99999999999", null)]
    public void OrdinalOfParsesOnlyThisClustersInstanceNames(string name, int? ordinal) =>
        Assert.Equal(ordinal, Orders.OrdinalOf(name));

    [Fact]
    public void OrdinalOfDoesNotConfuseClustersSharingAPrefix() =>
        Assert.Null(Orders.OrdinalOf(new ClusterNames("orders-2").Pod(1)));

    [Fact]
    public void LabelsAndSelectors()
    {
        Assert.Equal("pgreplica.io/cluster=orders,pgreplica.io/role=standby", Orders.StandbySelector);
        Assert.Equal("pgreplica.io/cluster=orders,pgreplica.io/role=primary", Orders.PrimarySelector);
        Assert.Equal("pgreplica.io/cluster=orders", Orders.ClusterSelector);
        var labels = Orders.InstanceLabels(2, Labels.StandbyRole);
        Assert.Equal("orders", labels[Labels.Cluster]);
        Assert.Equal("standby", labels[Labels.Role]);
        Assert.Equal("orders-2", labels[Labels.Instance]);
        Assert.Throws<ArgumentException>(() => Orders.InstanceLabels(1, "leader"));
    }

    [Theory]
    [InlineData("orders_1", true)]
    [InlineData("Orders_1", false)]
    [InlineData("orders-1", false)]
    [InlineData("orders_1; drop", false)]
    [InlineData("", false)]
    public void SlotNameValidation(string slot, bool valid) => Assert.Equal(valid, SlotNames.IsValid(slot));
}
