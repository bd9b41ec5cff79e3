using System.Collections.Frozen;

namespace Samples.UsersApi.Auth;

internal sealed record DemoAccount(string Username, string Password, string DisplayName, string Role)
{
    // Demo only: the password is the username.
    private static readonly FrozenDictionary<string, DemoAccount> Accounts = new[]
    {
        new DemoAccount("alice", "alice", "Alice", "admin"),
        new DemoAccount("bob", "bob", "Bob", "user"),
    }.ToFrozenDictionary(account => account.Username, StringComparer.Ordinal);

    public static DemoAccount? SignIn(string? username, string? password) =>
        username is not null && Accounts.TryGetValue(username, out var account) && account.Password == password
            ? account
            : null;
}
