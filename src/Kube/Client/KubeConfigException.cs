namespace PgReplica.Kube.Client;

/// <summary>A kubeconfig or in-cluster environment the client cannot use.</summary>
public sealed class KubeConfigException(string message) : Exception(message);
