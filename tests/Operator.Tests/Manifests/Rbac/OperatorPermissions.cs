namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>The permissions the operator's in-cluster code needs: found by scanning its compiled code, plus the ones no call shows.</summary>
internal static class OperatorPermissions
{
    /// <summary>Operator types that never run in the cluster under the operator's ServiceAccount, with why.</summary>
    public static IReadOnlyDictionary<string, string> NotInCluster { get; } = new Dictionary<string, string>
    {
        ["PgReplica.Operator.Cli.SandboxCommand"] = "runs the sandbox on a developer's machine",
        ["PgReplica.Operator.Cli.StatusCommand"] = "runs on the user's machine with the user's kubeconfig",
        ["PgReplica.Operator.Cli.CrdCommand"] = "prints or applies the CRD with the user's kubeconfig",
        ["PgReplica.Operator.Sandbox"] = "sandbox glue, never in a cluster",
    };

    /// <summary>Permissions that no client call shows, with why the API server asks for them.</summary>
    public static IReadOnlyDictionary<RbacPermission, string> Implicit { get; } = new Dictionary<RbacPermission, string>
    {
        [new("pgreplica.io", "postgresreplicasets/finalizers", "update")] =
            "owned objects carry blockOwnerDeletion, which the OwnerReferencesPermissionEnforcement admission plugin allows only to those who may update the owner's finalizers",
    };

    /// <summary>Whether a type (or a type nested in it) is out of the scan.</summary>
    public static bool IsNotInCluster(string typeFullName) => NotInCluster.Keys.Any(prefix =>
        typeFullName == prefix || typeFullName.StartsWith(prefix + "/", StringComparison.Ordinal)
        || typeFullName.StartsWith(prefix + ".", StringComparison.Ordinal));

    /// <summary>The calls the operator's compiled code (pgreplica.dll and the Kube runtime it drives) can make.</summary>
    public static IReadOnlyList<ClientCall> Calls()
    {
        string[] assemblies = ["pgreplica.dll", "Kube.dll", "Entities.dll"];
        using var scan = new ClientCallScan(assemblies.Select(a => Path.Combine(AppContext.BaseDirectory, a)),
            ClientPermissions.ClientTypes, IsNotInCluster);
        return scan.Scan(type => type.StartsWith("PgReplica.Operator.", StringComparison.Ordinal)
            || type.StartsWith("<", StringComparison.Ordinal) /* top-level statements */ || type == "Program");
    }
}
