namespace Samples.UsersApi.Users;

internal sealed record User(int Id, string Name, string Email);

internal sealed record UserInput(string? Name, string? Email);
