namespace Koppel.Server.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the description when the time is up.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string description)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Within {within.TotalSeconds:0} s, this did not happen: {description}");
            }

            await Task.Delay(250);
        }
    }
}
