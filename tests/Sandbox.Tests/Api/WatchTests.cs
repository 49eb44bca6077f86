using System.Text.Json.Nodes;
using static PgReplica.Sandbox.Tests.Api.TestObjects;

namespace PgReplica.Sandbox.Tests.Api;

public sealed class WatchTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync() => _s = await TestSandbox.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    /// <summary>Reads watch lines until <paramref name="count"/> arrived or the stream ended.</summary>
    private async Task<List<JsonObject>> ReadEvents(StreamReader reader, int count)
    {
        var events = new List<JsonObject>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (events.Count < count && await reader.ReadLineAsync(cts.Token) is { } line)
        {
            events.Add((JsonObject)JsonNode.Parse(line)!);
        }

        return events;
    }

    private async Task<(HttpResponseMessage Response, StreamReader Reader)> Watch(string query)
    {
        var response = await _s.Http.GetAsync($"{ConfigMaps}?watch=true&{query}", HttpCompletionOption.ResponseHeadersRead);
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private static string Summary(IEnumerable<JsonObject> events) => string.Join(" ", events.Select(e =>
        $"{e["type"]}:{e["object"]?["metadata"]?["name"]}"));

    [Fact]
    public async Task WatchFromZeroStartsWithSyntheticAddsThenStreamsChanges()
    {
        await _s.PostAsync(ConfigMaps, ConfigMap("w1"));
        await _s.PostAsync(ConfigMaps, ConfigMap("w2"));
        var (response, reader) = await Watch("resourceVersion=0");
        using var _ = response;
        Assert.Equal(200, (int)response.StatusCode);
        var initial = await ReadEvents(reader, 2);
        Assert.Equal("ADDED:w1 ADDED:w2", Summary(initial));

        await _s.MergePatchAsync($"{ConfigMaps}/w1", JsonNode.Parse("""{"data":{"k":"changed"}}""")!);
        await _s.DeleteAsync($"{ConfigMaps}/w2");
        var later = await ReadEvents(reader, 2);
        Assert.Equal("MODIFIED:w1 DELETED:w2", Summary(later));
        Assert.Equal("changed", later[0]["object"]!["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task WatchFromAResourceVersionSendsOnlyLaterChanges()
    {
        await _s.PostAsync(ConfigMaps, ConfigMap("before"));
        var (_, list) = await _s.GetAsync(ConfigMaps);
        var rv = Rv(list);
        await _s.PostAsync(ConfigMaps, ConfigMap("after"));
        var (response, reader) = await Watch($"resourceVersion={rv}");
        using var _ = response;
        await _s.PostAsync(ConfigMaps, ConfigMap("later"));
        var events = await ReadEvents(reader, 2);
        Assert.Equal("ADDED:after ADDED:later", Summary(events));
    }

    [Fact]
    public async Task WatchFromAnExpiredVersionAnswers200WithAnExpiredErrorEvent()
    {
        var (_, first) = await _s.PostAsync(ConfigMaps, ConfigMap("old"));
        var oldRv = Rv(first);
        // Push the old version out of the store's window of recent changes.
        for (var i = 0; i < 2100; i++)
        {
            var cm = _s.Host.Store.Create(Store.ResourceType.ConfigMaps, "default", ConfigMap($"churn-{i}"));
            _s.Host.Store.Remove(Store.ResourceType.ConfigMaps, "default", $"churn-{i}");
        }

        var (response, reader) = await Watch($"resourceVersion={oldRv}");
        using var _ = response;
        Assert.Equal(200, (int)response.StatusCode);
        var events = await ReadEvents(reader, 2);
        var error = Assert.Single(events);
        Assert.Equal("ERROR", error["type"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task BookmarksAreSentWhenAllowedAndTheStreamEndsAtItsTimeout()
    {
        await _s.PostAsync(ConfigMaps, ConfigMap("b1"));
        var (_, list) = await _s.GetAsync(ConfigMaps);
        var (response, reader) = await Watch($"resourceVersion={Rv(list)}&allowWatchBookmarks=true&timeoutSeconds=1");
        using var _ = response;
        var events = await ReadEvents(reader, 100);
        var bookmark = Assert.Single(events);
        Assert.Equal("BOOKMARK", bookmark["type"]!.GetValue<string>());
        Assert.Equal("ConfigMap", bookmark["object"]!["kind"]!.GetValue<string>());
        Assert.True(long.Parse(Rv(bookmark["object"])) >= long.Parse(Rv(list)));
    }

    [Fact]
    public async Task WatchWithoutBookmarksStaysQuietUntilTimeout()
    {
        var (response, reader) = await Watch("resourceVersion=0&timeoutSeconds=1&labelSelector=app%3Dnone");
        using var _ = response;
        var events = await ReadEvents(reader, 100);
        Assert.Empty(events);
    }

    [Fact]
    public async Task SelectorsFilterWatchEventsAndLeavingTheSelectionLooksLikeADelete()
    {
        var (response, reader) = await Watch("resourceVersion=0&labelSelector=app%3Ddb&fieldSelector=metadata.namespace%3Ddefault");
        using var _ = response;
        await _s.PostAsync(ConfigMaps, ConfigMap("other", new JsonObject { ["app"] = "web" }));
        await _s.PostAsync(ConfigMaps, ConfigMap("db1", new JsonObject { ["app"] = "db" }));
        await _s.MergePatchAsync($"{ConfigMaps}/db1", JsonNode.Parse("""{"metadata":{"labels":{"app":"gone"}}}""")!);
        var events = await ReadEvents(reader, 2);
        Assert.Equal("ADDED:db1 DELETED:db1", Summary(events));
    }
}
