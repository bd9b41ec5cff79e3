using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Samples.UsersApi.Auth;

/// <summary>Keeps data protection keys in memory, for the lifetime of one app instance.</summary>
internal sealed class InMemoryXmlRepository : IXmlRepository
{
    private readonly Lock _gate = new();
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_gate)
        {
            return [.. _elements.Select(element => new XElement(element))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_gate)
        {
            _elements.Add(new XElement(element));
        }
    }
}
