using System.Security.Authentication;
using System.Security.Cryptography;
using Npgsql;
using PgReplica.Operator.Security;
using PgReplica.Operator.Tests.Postgres;

namespace PgReplica.Operator.Tests.Security;

[Collection(TlsPostgresCollection.Name)]
public sealed class TlsPostgresTests(TlsPostgresFixture server) : IAsyncLifetime
{
    private const string Role = "tls_client";
    private readonly string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public Task InitializeAsync() =>
        PostgresPairFixture.ExecuteAsync(server.Admin,
            $"DROP ROLE IF EXISTS {Role}; CREATE ROLE {Role} LOGIN; {RolePasswordStatement.Alter(Role, ScramSha256Verifier.Create(password))}");

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("orders-rw")]
    [InlineData("orders-ro.shop")]
    [InlineData("orders-2.shop.svc")]
    [InlineData("orders-1.shop.svc.cluster.local")]
    public async Task VerifyFull_with_the_CA_accepts_every_name_in_the_certificate(string hostName)
    {
        Assert.True(await server.ScalarOverVerifyFullAsync<bool>(hostName, server.Authority, Role, password, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    }

    [Theory]
    [InlineData("orders-3")]
    [InlineData("orders-rw.other")]
    [InlineData("billing-rw.shop")]
    public async Task VerifyFull_refuses_a_name_the_certificate_does_not_carry(string hostName)
    {
        await AssertRefusedAsync(hostName, server.Authority);
    }

    [Fact]
    public async Task VerifyFull_refuses_the_server_when_only_another_CA_of_the_same_name_is_trusted()
    {
        using var other = ClusterCertificateAuthority.Create(TlsPostgresFixture.Cluster, TlsPostgresFixture.Namespace, DateTimeOffset.UtcNow);

        await AssertRefusedAsync("orders-rw", other);
    }

    [Fact]
    public void A_standby_connects_for_replication_with_libpq_verify_full_and_the_replicator_client_certificate()
    {
        // What a standby's walreceiver does: libpq, host name checked against the certificate, no password anywhere.
        var output = IdentifySystem(server.ReplicatorCertificateFile, server.ReplicatorKeyFile);

        Assert.True(ulong.TryParse(output.Split('|')[0].Trim(), out _), output);
    }

    [Fact]
    public void The_client_key_is_usable_in_place_from_a_Secret_volume()
    {
        // kubelet mounts Secret files owned by root, group fsGroup, mode 0640: libpq accepts such a key file
        // (a passfile like that it ignores), so no copy of the key is needed on the pod's disk.
        var key = Path.Combine(server.Root, "replicator-secret-volume.key");
        File.Copy(server.ReplicatorKeyFile, key, overwrite: true);
        LocalPostgres.Run("chown", ["root:postgres", key], asPostgres: false);
        LocalPostgres.Run("chmod", ["640", key], asPostgres: false);

        var output = IdentifySystem(server.ReplicatorCertificateFile, key);

        Assert.True(ulong.TryParse(output.Split('|')[0].Trim(), out _), output);
    }

    [Fact]
    public void Replication_without_the_client_certificate_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            IdentifySystem(Path.Combine(server.Root, "absent.crt"), Path.Combine(server.Root, "absent.key")));

        Assert.Contains("connection requires a valid client certificate", error.Message, StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(string hostName, ClusterCertificateAuthority trusted)
    {
        var error = await Assert.ThrowsAsync<NpgsqlException>(() => server.ScalarOverVerifyFullAsync<int>(hostName, trusted, Role, password, "SELECT 1"));
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    private string IdentifySystem(string certificateFile, string keyFile) =>
        LocalPostgres.Pg("psql",
        [
            $"host=orders-rw.shop.svc hostaddr=127.0.0.1 port={server.Port} user={TlsPostgresFixture.ReplicationRole} dbname=postgres "
            + $"replication=true sslmode=verify-full sslrootcert={server.AuthorityFile} sslcert={certificateFile} sslkey={keyFile} connect_timeout=30",
            "-X", "-A", "-t", "-c", "IDENTIFY_SYSTEM",
        ]);
}
