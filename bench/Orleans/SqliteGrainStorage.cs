using System.Buffers;
using AkkaGame.Bench.PeerCommon;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace AkkaGame.Bench.Orleans;

/// <summary>
/// Orleans grain storage on the peers' SQLite store (<see cref="PeerStore"/>), so a grain's
/// <c>WriteStateAsync</c> completes only once its state is committed, as the node's entities
/// store before they answer. Each write appends the whole state (Orleans' own serializer); a
/// read at activation takes the last one, as a recovery would.
/// </summary>
public sealed class SqliteGrainStorage(PeerStore store, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var rows = store.Read(Key(stateName, grainId));
        if (rows.Count > 0)
        {
            grainState.State = serializer.Deserialize<T>(new ReadOnlySequence<byte>(Convert.FromBase64String(rows[^1].Data)));
            grainState.ETag = rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await store.WriteAsync(Key(stateName, grainId), "state", Convert.ToBase64String(serializer.SerializeToArray(grainState.State)));
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await store.WriteAsync(Key(stateName, grainId), "cleared", string.Empty);
        grainState.RecordExists = false;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
