using System.Text;
using k8s;
using k8s.Models;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Reconciliation.Builders;

namespace PgReplica.Operator.Tests.Reconciliation;

/// <summary>
/// What the container's shell receives once the kubelet has expanded the built env, command and args as Kubernetes
/// does: a setting holding <c>$(PGDATA)</c> and a literal <c>$$</c> must reach postgresql.conf unchanged.
/// </summary>
public sealed class ContainerEnvExpansionTests
{
    // PGDATA is defined in the container's env before the config, so an unescaped $(PGDATA) would be replaced.
    private const string Sample = "cp %p /archive/$(PGDATA)/$$/%f";

    [Fact]
    public void The_config_the_init_script_writes_is_the_settings_text_with_each_dollar_kept()
    {
        var parameters = PostgresParameters.Merge(new Dictionary<string, string> { ["archive_command"] = Sample }, null);
        var init = InstancePodBuilder.Primary(TestClusters.Named("orders"), 1, parameters).Spec!.InitContainers!.Single();

        var env = Expand(init.Env!);

        Assert.Equal(parameters.ToConfigFile(), env["PGREPLICA_CONF"]);
        Assert.Contains($"archive_command = '{Sample}'", env["PGREPLICA_CONF"], StringComparison.Ordinal);
        Assert.Equal(PgHba.Build(), env["PGREPLICA_HBA"]);
        // The commands reach the shell as written: no $(...) for the kubelet to replace, no $$ for it to halve.
        Assert.Equal(init.Command, init.Command!.Select(c => Expand(c, env)).ToList());
    }

    [Theory]
    [InlineData("$(PGDATA)/x", "/data/x")]
    [InlineData("$$(PGDATA)", "$(PGDATA)")]
    [InlineData("$$$$", "$$")]
    [InlineData("$(UNKNOWN) $HOME $", "$(UNKNOWN) $HOME $")]
    [InlineData("$(PGDATA", "$(PGDATA")]
    public void The_expansion_here_is_the_kubelets(string input, string expected) =>
        Assert.Equal(expected, Expand(input, new Dictionary<string, string> { ["PGDATA"] = "/data" }));

    // Env values see only the variables defined before them, in order (Kubernetes' dependent environment variables).
    private static Dictionary<string, string> Expand(IEnumerable<V1EnvVar> env)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in env)
        {
            // A Secret's value is not expanded; a placeholder stands for it.
            values[variable.Name] = variable.ValueFrom is null ? Expand(variable.Value ?? "", values) : "<secret " + variable.Name + ">";
        }

        return values;
    }

    // k8s.io/kubernetes third_party/forked/golang/expansion: $$ → $, $(NAME) → its value when known, else as written.
    private static string Expand(string input, IReadOnlyDictionary<string, string> values)
    {
        var output = new StringBuilder();
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                continue;
            }

            if (input[i + 1] == '$')
            {
                output.Append('$');
                i++;
                continue;
            }

            var close = input[i + 1] == '(' ? input.IndexOf(')', i + 2) : -1;
            if (close < 0)
            {
                output.Append('$');
                continue;
            }

            var name = input[(i + 2)..close];
            output.Append(values.TryGetValue(name, out var value) ? value : $"$({name})");
            i = close;
        }

        return output.ToString();
    }
}
