using Npgsql;
using PgReplica.Operator.Security;
using PgReplica.Operator.Tests.Postgres;

namespace PgReplica.Operator.Tests.Security;

/// <summary>
/// A real PostgreSQL 15 with <c>ssl = on</c>, serving a certificate issued by <see cref="CertificateIssuer"/> for
/// cluster <c>orders</c> in namespace <c>shop</c> (instances 1 and 2), with <c>hostssl</c> lines only: the
/// replication role authenticates with its client certificate, everyone else with SCRAM.
/// </summary>
public sealed class TlsPostgresFixture : IAsyncLifetime
{
    public const string Cluster = "orders";
    public const string Namespace = "shop";
    public const string ReplicationRole = "replicator";

    private string root = "";

    public int Port { get; private set; }
    public ClusterCertificateAuthority Authority { get; private set; } = null!;
    public IssuedCertificate Server { get; private set; } = null!;
    public IReadOnlyList<string> ServerNames { get; } = ServerCertificateNames.For(Cluster, Namespace, [1, 2]);
    public string AuthorityFile => Path.Combine(root, "ca.crt");
    public string ReplicatorCertificateFile => Path.Combine(root, "replicator.crt");
    public string ReplicatorKeyFile => Path.Combine(root, "replicator.key");
    public string Root => root;

    /// <summary>The superuser over the Unix socket (trust), for setting up roles and reading pg_authid.</summary>
    public NpgsqlDataSource Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        root = LocalPostgres.CreateOwnedTempDirectory("pgreplica-tls-");
        Port = LocalPostgres.FreePort();
        var now = DateTimeOffset.UtcNow;
        Authority = ClusterCertificateAuthority.Create(Cluster, Namespace, now);
        Server = CertificateIssuer.IssueServer(Authority, ServerNames, now);
        var replicator = CertificateIssuer.IssueClient(Authority, ReplicationRole, now);

        var data = Path.Combine(root, "data");
        LocalPostgres.Pg("initdb", ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=reject", "--no-sync"]);
        // PostgreSQL refuses a key file anyone but its owner can read: owned by postgres, 0600.
        LocalPostgres.WriteOwnedFile(Path.Combine(root, "server.crt"), Server.CertificatePem);
        LocalPostgres.WriteOwnedFile(Path.Combine(root, "server.key"), Server.PrivateKeyPem);
        LocalPostgres.WriteOwnedFile(AuthorityFile, Authority.CertificatePem);
        LocalPostgres.WriteOwnedFile(ReplicatorCertificateFile, replicator.CertificatePem);
        LocalPostgres.WriteOwnedFile(ReplicatorKeyFile, replicator.PrivateKeyPem);
        File.AppendAllText(Path.Combine(data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{root}'
            ssl = on
            ssl_cert_file = '{root}/server.crt'
            ssl_key_file = '{root}/server.key'
            ssl_ca_file = '{AuthorityFile}'
            password_encryption = 'scram-sha-256'
            fsync = off
            shared_buffers = 16MB
            """);
        File.WriteAllText(Path.Combine(data, "pg_hba.conf"), $"""
            local     all           postgres                      trust
            hostssl   replication   {ReplicationRole}   127.0.0.1/32  cert
            hostssl   all           all                 127.0.0.1/32  scram-sha-256

            """);
        LocalPostgres.Pg("pg_ctl", ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start"]);
        Admin = NpgsqlDataSource.Create($"Host={root};Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=30");
        await PostgresPairFixture.ExecuteAsync(Admin, $"CREATE ROLE {ReplicationRole} WITH LOGIN REPLICATION");
    }

    public async Task DisposeAsync()
    {
        if (Admin is not null) await Admin.DisposeAsync();
        var data = Path.Combine(root, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            LocalPostgres.Pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        }

        Authority?.Dispose();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> over TCP with Npgsql's <c>SslMode=VerifyFull</c>, trusting only
    /// <paramref name="trusted"/>, and verifying the server's certificate against <paramref name="hostName"/>. A
    /// cluster's names do not resolve on this machine, so the socket goes to 127.0.0.1 and only the TLS target name
    /// is set (libpq's host/hostaddr split); Npgsql's own VerifyFull validation stays (it throws if a callback replaces it).
    /// </summary>
    public async Task<T> ScalarOverVerifyFullAsync<T>(string hostName, ClusterCertificateAuthority trusted, string user, string password, string sql)
    {
        using var root = trusted.PublicCertificate();
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = user,
            Password = password,
            Database = "postgres",
            SslMode = SslMode.VerifyFull,
            Pooling = false,
            Timeout = 30,
        }.ConnectionString);
        builder.UseRootCertificate(root);
        builder.UseSslClientAuthenticationOptionsCallback(options => options.TargetHost = hostName);
        await using var source = builder.Build();
        return await PostgresPairFixture.ScalarAsync<T>(source, sql);
    }
}

/// <summary>Tests sharing one TLS server.</summary>
[CollectionDefinition(Name)]
public sealed class TlsPostgresCollection : ICollectionFixture<TlsPostgresFixture>
{
    public const string Name = "tls postgres";
}
