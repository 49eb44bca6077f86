using System.Security.Cryptography;
using Npgsql;
using PgReplica.Operator.Security;
using PgReplica.Operator.Tests.Postgres;

namespace PgReplica.Operator.Tests.Security;

[Collection(TlsPostgresCollection.Name)]
public sealed class ScramPostgresTests(TlsPostgresFixture server)
{
    private async Task<string?> StoredAsync(string role)
    {
        await using var command = server.Admin.CreateCommand(RolePasswordStatement.ReadStoredVerifier);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role, DataTypeName = "name" });
        return await command.ExecuteScalarAsync() as string;
    }

    private async Task LoginAsync(string role, string password)
    {
        Assert.Equal(role, await server.ScalarOverVerifyFullAsync<string>("orders-rw", server.Authority, role, password, "SELECT current_user::text"));
    }

    [Fact]
    public async Task A_password_applied_as_our_verifier_logs_in_and_is_stored_exactly_as_sent()
    {
        const string role = "scram_rotated";
        var first = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var second = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await PostgresPairFixture.ExecuteAsync(server.Admin, $"DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN");

        var verifier = ScramSha256Verifier.Create(first);
        await PostgresPairFixture.ExecuteAsync(server.Admin, RolePasswordStatement.Alter(role, verifier));
        Assert.Equal(verifier.ToString(), await StoredAsync(role));
        Assert.True(ScramSha256Verifier.Matches(await StoredAsync(role), first));
        await LoginAsync(role, first);

        // Rotation: the stored verifier says the new password is not applied yet; after ALTER ROLE only it works.
        Assert.False(ScramSha256Verifier.Matches(await StoredAsync(role), second));
        await PostgresPairFixture.ExecuteAsync(server.Admin, RolePasswordStatement.Alter(role, ScramSha256Verifier.Create(second)));
        await LoginAsync(role, second);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => LoginAsync(role, first));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Theory]
    [InlineData("pencil")]
    [InlineData("with spaces, 'quotes', \\backslash, $dollar: and \"double\"")]
    [InlineData("tab\tand~!@#%^&*()_+{}|<>?`")]
    public async Task Verifiers_PostgreSQL_computes_itself_are_matched_and_reproduced(string password)
    {
        const string role = "scram_by_postgres";
        // Test only: the plain password travels in SQL here so that PostgreSQL computes the verifier.
        await PostgresPairFixture.ExecuteAsync(server.Admin,
            $"DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'");
        var stored = await StoredAsync(role);

        var parsed = ScramSha256Verifier.TryParse(stored);
        Assert.NotNull(parsed);
        Assert.True(ScramSha256Verifier.Matches(stored, password));
        Assert.False(ScramSha256Verifier.Matches(stored, password + "x"));
        Assert.Equal(stored, ScramSha256Verifier.Create(password, parsed.Salt.ToArray(), parsed.Iterations).ToString());
    }
}
