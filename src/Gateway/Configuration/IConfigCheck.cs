using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>
/// A feature's check of its own config sections. Every registered check runs on a candidate before
/// it is applied; any error rejects the whole edit. Errors name the route or key that is wrong.
/// </summary>
public interface IConfigCheck
{
    void Check(IConfiguration candidate, ICollection<string> errors);
}
