using Gateway.Store;

namespace Gateway.Tests.Store;

public sealed class MemoryStoreTests
{
    [Fact]
    public async Task A_capped_list_keeps_the_newest_first()
    {
        var store = new MemoryStore();
        for (var i = 1; i <= 5; i++)
        {
            await store.PushCappedAsync("audit", $"{i}", keep: 3);
        }

        Assert.Equal(["5", "4", "3"], await store.ListAsync("audit", 10));
        Assert.Equal(["5"], await store.ListAsync("audit", 1));
    }

    [Fact]
    public async Task A_published_change_reaches_this_process_at_once()
    {
        var store = new MemoryStore();
        var heard = 0;
        store.Changed += () => heard++;

        await store.PublishChangeAsync("maintenance");
        Assert.Equal(1, heard);
        Assert.Null(store.Outage);
    }
}
