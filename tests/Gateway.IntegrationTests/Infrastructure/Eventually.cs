namespace Gateway.IntegrationTests.Infrastructure;

internal static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the description after the bound (no fixed sleeps).</summary>
    public static Task HoldsAsync(Func<Task<bool>> condition, string description, int seconds = 15) =>
        HoldsAsync(condition, () => description, seconds);

    /// <summary>As above, the description written when the bound passes (so it can say what was last seen).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> description, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {seconds} s: {description()}");
            }

            await Task.Delay(100);
        }
    }
}
