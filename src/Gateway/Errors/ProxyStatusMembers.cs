using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Errors;

/// <summary>
/// The gateway's <c>Proxy-Status</c> member strings, made once per setting: one per error type and one per received
/// status (on first use), so a response without next-hop or details allocates no string. Rebuilt when the section changes.
/// </summary>
internal sealed class ProxyStatusMembers(IOptionsMonitor<ProxyStatusOptions> settings)
{
    private const int MaxDetailsLength = 256;

    private Snapshot _current = new(settings.CurrentValue);

    public Snapshot Current
    {
        get
        {
            var options = settings.CurrentValue;
            var current = Volatile.Read(ref _current);
            if (!ReferenceEquals(current.Options, options))
            {
                current = new Snapshot(options);
                Volatile.Write(ref _current, current);
            }

            return current;
        }
    }

    internal sealed class Snapshot
    {
        private readonly Dictionary<string, string> _errors;
        private readonly string?[] _received = new string?[600];

        public Snapshot(ProxyStatusOptions options)
        {
            Options = options;
            _errors = ProxyErrorType.All.ToDictionary(type => type, type => $"{options.Name}; error={type}", StringComparer.Ordinal);
        }

        public ProxyStatusOptions Options { get; }

        /// <summary>The bare member: the gateway handled the response, with nothing to add (a cache hit: Cache-Status says how).</summary>
        public string Bare => Options.Name;

        public string Error(string type) => _errors.TryGetValue(type, out var member) ? member : $"{Options.Name}; error={type}";

        public string Received(int status)
        {
            if ((uint)status >= (uint)_received.Length)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{Options.Name}; received-status={status}");
            }

            // A race makes the same string twice; either is right.
            return _received[status] ??= string.Create(CultureInfo.InvariantCulture, $"{Options.Name}; received-status={status}");
        }

        /// <summary>What a guide page for <paramref name="originLabel"/> and <paramref name="status"/> says the header is (a 502 unreachable: one of three).</summary>
        public string? GuideLine(string originLabel, int status)
        {
            var origin = Enum.GetValues<GatewayOrigin>().FirstOrDefault(candidate => candidate.ToLabel() == originLabel, GatewayOrigin.Gateway);
            return origin switch
            {
                // Nothing sent, or an admin-port answer (the header is the public port's).
                GatewayOrigin.Client or GatewayOrigin.Admin => null,
                GatewayOrigin.Upstream => Received(status),
                GatewayOrigin.Cache => Bare,
                GatewayOrigin.Unreachable => string.Join(" or ", ProxyErrorType.Unreachable.Select(Error)),
                _ => Error(ProxyErrorType.For(origin, status)!),
            };
        }

        /// <summary>The member with the opted-in parameters, when there is something to say.</summary>
        public string With(string member, string? nextHop, string? details)
        {
            nextHop = Options.NextHop ? nextHop : null;
            details = Options.Details ? details : null;
            if (nextHop is null && details is null)
            {
                return member;
            }

            var text = new StringBuilder(member);
            if (nextHop is not null)
            {
                AppendString(text.Append("; next-hop="), nextHop);
            }

            if (details is not null)
            {
                AppendString(text.Append("; details="), details.Length > MaxDetailsLength ? details[..MaxDetailsLength] : details);
            }

            return text.ToString();
        }

        /// <summary>An sf-string (RFC 8941 §3.3.3): printable ASCII, quote and backslash escaped; anything else becomes '?'.</summary>
        internal static StringBuilder AppendString(StringBuilder text, string value)
        {
            text.Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\')
                {
                    text.Append('\\').Append(c);
                }
                else
                {
                    text.Append(c is >= ' ' and <= '~' ? c : '?');
                }
            }

            return text.Append('"');
        }
    }
}
