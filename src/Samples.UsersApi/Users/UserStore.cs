namespace Samples.UsersApi.Users;

internal enum UserOutcome
{
    Success,
    NotFound,
    Gone,
    EmailTaken,
}

/// <summary>Thread-safe in-memory users that remembers deleted ids, so they answer 410 rather than 404.</summary>
internal sealed class UserStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, User> _users = [];
    private readonly HashSet<int> _deletedIds = [];
    private int _lastId;

    public UserStore()
    {
        Create("Alice", "alice@example.com");
        Create("Bob", "bob@example.com");
    }

    public (UserOutcome Outcome, User? User) Find(int id)
    {
        lock (_gate)
        {
            var outcome = OutcomeFor(id);
            return (outcome, outcome == UserOutcome.Success ? _users[id] : null);
        }
    }

    public (UserOutcome Outcome, User? User) Create(string name, string email)
    {
        lock (_gate)
        {
            if (IsEmailTaken(email, exceptId: null))
            {
                return (UserOutcome.EmailTaken, null);
            }

            var user = new User(++_lastId, name, email);
            _users.Add(user.Id, user);
            return (UserOutcome.Success, user);
        }
    }

    public UserOutcome Update(int id, string name, string email)
    {
        lock (_gate)
        {
            var outcome = OutcomeFor(id);
            if (outcome != UserOutcome.Success)
            {
                return outcome;
            }

            if (IsEmailTaken(email, exceptId: id))
            {
                return UserOutcome.EmailTaken;
            }

            _users[id] = new User(id, name, email);
            return UserOutcome.Success;
        }
    }

    public UserOutcome Delete(int id)
    {
        lock (_gate)
        {
            var outcome = OutcomeFor(id);
            if (outcome == UserOutcome.Success)
            {
                _users.Remove(id);
                _deletedIds.Add(id);
            }

            return outcome;
        }
    }

    private UserOutcome OutcomeFor(int id) =>
        _users.ContainsKey(id) ? UserOutcome.Success
        : _deletedIds.Contains(id) ? UserOutcome.Gone
        : UserOutcome.NotFound;

    private bool IsEmailTaken(string email, int? exceptId) =>
        _users.Values.Any(user => user.Id != exceptId && string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase));
}
