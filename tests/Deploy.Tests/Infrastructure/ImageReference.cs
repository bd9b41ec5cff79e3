namespace Deploy.Tests.Infrastructure;

internal static class ImageReference
{
    /// <summary>True when the image names a tag other than latest, or a digest ("registry:5000/name" has no tag).</summary>
    public static bool IsPinned(string image)
    {
        if (string.IsNullOrWhiteSpace(image) || image.Contains('$', StringComparison.Ordinal))
        {
            return false;
        }

        if (image.Contains("@sha256:", StringComparison.Ordinal))
        {
            return true;
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        return colon > 0 && colon < lastSegment.Length - 1 && lastSegment[(colon + 1)..] != "latest";
    }
}
