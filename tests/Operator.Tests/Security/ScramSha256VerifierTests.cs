using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PgReplica.Operator.Security;

namespace PgReplica.Operator.Tests.Security;

public sealed class ScramSha256VerifierTests
{
    [Fact]
    public void The_verifier_has_PostgreSQLs_text_form_with_a_16_byte_random_salt_and_4096_iterations()
    {
        var text = ScramSha256Verifier.Create("pencil").ToString();

        var match = Regex.Match(text, @"^SCRAM-SHA-256\$4096:([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$");
        Assert.True(match.Success, text);
        Assert.Equal(16, Convert.FromBase64String(match.Groups[1].Value).Length);
        Assert.Equal(32, Convert.FromBase64String(match.Groups[2].Value).Length);
        Assert.Equal(32, Convert.FromBase64String(match.Groups[3].Value).Length);
        Assert.DoesNotContain("pencil", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_verifier_gets_its_own_salt()
    {
        var a = ScramSha256Verifier.Create("pencil");
        var b = ScramSha256Verifier.Create("pencil");

        Assert.NotEqual(a.Salt, b.Salt);
        Assert.NotEqual(a.ToString(), b.ToString());
        Assert.True(ScramSha256Verifier.Matches(a.ToString(), "pencil"));
        Assert.True(ScramSha256Verifier.Matches(b.ToString(), "pencil"));
    }

    [Fact]
    public void It_authenticates_the_RFC_7677_example_exchange_as_a_server_would()
    {
        // RFC 7677 section 3: user "user", password "pencil".
        const string clientFirstBare = "n=user,r=rOprNGfwEbeRWgbNEkqO";
        const string serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        const string clientFinalWithoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        var proof = Convert.FromBase64String("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        const string serverSignature = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

        var verifier = ScramSha256Verifier.Create("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096).ToString();
        var keys = verifier.Split('$')[2].Split(':').Select(Convert.FromBase64String).ToArray();
        var (storedKey, serverKey) = (keys[0], keys[1]);
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{clientFinalWithoutProof}");

        // The server's check: ClientKey = proof XOR HMAC(StoredKey, AuthMessage), and H(ClientKey) must be StoredKey.
        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var clientKey = proof.Zip(clientSignature, (p, s) => (byte)(p ^ s)).ToArray();
        Assert.Equal(storedKey, SHA256.HashData(clientKey));
        Assert.Equal(serverSignature, Convert.ToBase64String(HMACSHA256.HashData(serverKey, authMessage)));
    }

    [Theory]
    [InlineData("pencil", true)]
    [InlineData("Pencil", false)]
    [InlineData("pencil ", false)]
    [InlineData("x", false)]
    public void Matches_only_the_password_it_was_made_from(string password, bool matches)
    {
        var stored = ScramSha256Verifier.Create("pencil", RandomNumberGenerator.GetBytes(16), 4096).ToString();

        Assert.Equal(matches, ScramSha256Verifier.Matches(stored, password));
    }

    [Fact]
    public void Matches_uses_the_stored_iteration_count()
    {
        var stored = ScramSha256Verifier.Create("pencil", iterations: 5000).ToString();

        Assert.StartsWith("SCRAM-SHA-256$5000:", stored, StringComparison.Ordinal);
        Assert.True(ScramSha256Verifier.Matches(stored, "pencil"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("md5a3556571e93b0d20722ba62be61e8c2d")]
    [InlineData("pencil")]
    [InlineData("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$bad")]
    [InlineData("SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=")]
    [InlineData("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:AAAA")]
    [InlineData("SCRAM-SHA-256$4096:!!!$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=")]
    public void Anything_but_a_well_formed_SCRAM_verifier_never_matches(string? stored)
    {
        Assert.Null(ScramSha256Verifier.TryParse(stored));
        Assert.False(ScramSha256Verifier.Matches(stored, "pencil"));
    }

    [Theory]
    [InlineData("", "the password is empty")]
    [InlineData("a\0b", "the password contains a NUL character, which PostgreSQL clients cannot send")]
    [InlineData("pässword", "the password contains characters outside ASCII; use ASCII characters only")]
    public void Passwords_whose_verifier_could_differ_from_the_clients_are_refused(string password, string problem)
    {
        Assert.Equal(problem, ScramSha256Verifier.PasswordProblem(password));
        Assert.Throws<ArgumentException>(() => ScramSha256Verifier.Create(password));
    }

    [Fact]
    public void Printable_and_control_ASCII_passwords_are_accepted()
    {
        Assert.Null(ScramSha256Verifier.PasswordProblem("tab\there 'quoted' \\ back:slash$"));
    }

    [Fact]
    public void The_ALTER_ROLE_statement_quotes_the_role_and_carries_only_the_verifier()
    {
        var verifier = ScramSha256Verifier.Create("s3cret-Password");

        var sql = RolePasswordStatement.Alter("we\"ird role", verifier);

        Assert.Equal($"ALTER ROLE \"we\"\"ird role\" PASSWORD '{verifier}'", sql);
        Assert.DoesNotContain("s3cret", sql, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RolePasswordStatement.Alter("", verifier));
        Assert.Throws<ArgumentException>(() => RolePasswordStatement.Alter(new string('r', 64), verifier));
    }
}
