using System.Reflection;
using Gateway.Utilities;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Utilities;

public sealed class EventIdsTests
{
    [Fact]
    public void Every_logging_method_uses_an_event_id_of_the_list_and_none_twice()
    {
        var listed = typeof(EventIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (int)field.GetRawConstantValue()!).ToHashSet();
        var used = typeof(EventIds).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(entry => entry.Attribute is not null)
            .Select(entry => (Name: $"{entry.Method.DeclaringType!.FullName}.{entry.Method.Name}", entry.Attribute!.EventId))
            .ToList();

        Assert.NotEmpty(used);
        Assert.All(used, entry => Assert.True(listed.Contains(entry.EventId), $"{entry.Name} logs with event id {entry.EventId}, which EventIds does not list"));
        var twice = used.GroupBy(entry => entry.EventId).Where(group => group.Count() > 1).Select(group => $"{group.Key}: {string.Join(", ", group.Select(entry => entry.Name))}");
        Assert.Empty(twice);
    }
}
