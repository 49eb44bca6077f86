using System.Text.Json.Nodes;
using System.Threading.Channels;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Writes a pod's status to the store, as the kubelet's status manager does: a change only marks the status dirty;
/// one writer takes a snapshot, builds the status (<see cref="PodStatusBuilder"/>) and writes it when it differs
/// from the last one written, retrying on conflicts, holding no lock of the pod's while it writes. Stops writing
/// once the pod object is gone or belongs to a newer pod of the same name.
/// </summary>
internal sealed class PodStatusManager
{
    private readonly IObjectStore _store;
    private readonly PodModel _pod;
    private readonly Func<PodSnapshot> _snapshot;
    private readonly PodPlacement _placement;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private IReadOnlyDictionary<string, PodCondition> _conditions = new Dictionary<string, PodCondition>();
    private string? _lastWritten;
    private volatile bool _vanished;
    private Task _loop = Task.CompletedTask;

    /// <summary>A manager for the pod; <see cref="Start"/> begins writing.</summary>
    public PodStatusManager(IObjectStore store, PodModel pod, Func<PodSnapshot> snapshot, PodPlacement placement, TimeProvider time)
    {
        _store = store;
        _pod = pod;
        _snapshot = snapshot;
        _placement = placement;
        _time = time;
    }

    /// <summary>True once the pod object is gone (or replaced): nothing more is written.</summary>
    public bool Vanished => _vanished;

    /// <summary>Starts the writer.</summary>
    public void Start() => _loop = Task.Run(async () =>
    {
        await foreach (var _ in _dirty.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await WriteAsync().ConfigureAwait(false);
        }
    });

    /// <summary>The state changed: the writer writes the latest status soon.</summary>
    public void Changed() => _dirty.Writer.TryWrite(true);

    /// <summary>The pod object is gone: write nothing more.</summary>
    public void Vanish() => _vanished = true;

    /// <summary>Writes the latest status now, then ends the writer (the pod worker's last act).</summary>
    public async Task CompleteAsync()
    {
        _dirty.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await WriteAsync().ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        await _writing.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_vanished)
            {
                return;
            }

            var (status, conditions) = PodStatusBuilder.Build(_snapshot(), _placement, _conditions, _time.GetUtcNow());
            var text = status.ToJsonString();
            if (text != _lastWritten && Write(status))
            {
                _lastWritten = text;
                _conditions = conditions;
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private bool Write(JsonObject status)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = _store.Get(ResourceType.Pods, _pod.Namespace, _pod.Name);
            if (current is null || PodModel.Str(current["metadata"] as JsonObject, "uid") != _pod.Uid)
            {
                _vanished = true;
                return false;
            }

            current["status"] = status.DeepClone();
            try
            {
                _store.ReplaceStatus(ResourceType.Pods, _pod.Namespace, current);
                return true;
            }
            catch (StoreException e) when (e.Reason == "Conflict")
            {
                // Someone else wrote meanwhile; read again.
            }
            catch (StoreException e) when (e.Reason == "NotFound")
            {
                _vanished = true;
                return false;
            }
        }

        return false;
    }
}
