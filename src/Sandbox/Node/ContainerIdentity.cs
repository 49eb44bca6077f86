using System.Globalization;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Who a container's processes are, decided as the kubelet and runc decide it: the container's runAsUser, else the
/// pod's, else the image's USER (root for the postgres images); the matching runAsGroup, else the gid of that uid's
/// entry in the image's /etc/passwd, else 0; the gid, fsGroup and supplementalGroups as its groups. The container
/// sees the image's /etc/passwd and /etc/group, plus an entry for a uid the image does not know, as CRI-O adds for
/// an arbitrary uid (OpenShift), since initdb and postgres stop when their uid has no name.
/// </summary>
internal sealed record ContainerIdentity(long Uid, long Gid, IReadOnlyList<long> Groups, ImageAccounts Accounts)
{
    /// <summary>The identity of one container of the pod.</summary>
    public static ContainerIdentity Of(PodModel pod, ContainerModel container)
    {
        var sc = pod.SecurityContext;
        var accounts = PostgresImage.Accounts(container.Image);
        var uid = container.RunAsUser ?? sc.RunAsUser ?? PostgresImage.DefaultUid;
        var gid = container.RunAsGroup ?? sc.RunAsGroup ?? accounts.ByUid(uid)?.Gid ?? 0;
        IEnumerable<long> fsGroup = sc.FsGroup is { } fs ? [fs] : [];
        return new ContainerIdentity(uid, gid, new[] { gid }.Concat(fsGroup).Concat(sc.SupplementalGroups).Distinct().ToList(), accounts);
    }

    /// <summary>The container's passwd entry: the image's, or the one made up for an arbitrary uid.</summary>
    public ImageUser User => Accounts.ByUid(Uid) ?? new ImageUser(Text(Uid), (int)Uid, (int)Gid, "/", "/sbin/nologin");

    /// <summary>HOME, as the runtime sets it from the passwd entry when the image sets none.</summary>
    public string Home => User.Home;

    /// <summary>The argv prefix that drops to this identity: <c>setpriv … --</c>.</summary>
    public IReadOnlyList<string> Setpriv =>
        ["/usr/bin/setpriv", $"--reuid={Text(Uid)}", $"--regid={Text(Gid)}", "--groups=" + string.Join(',', Groups.Select(Text)), "--"];

    /// <summary>The container's /etc/passwd.</summary>
    public string Passwd()
    {
        var users = Accounts.Users.ToList();
        if (Accounts.ByUid(Uid) is null)
        {
            users.Add(User);
        }

        return string.Concat(users.Select(u => u.PasswdLine + "\n"));
    }

    /// <summary>The container's /etc/group.</summary>
    public string Group() => string.Concat(Accounts.Groups.Select(g => $"{g.Name}:x:{g.Gid}:\n"));

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
}
