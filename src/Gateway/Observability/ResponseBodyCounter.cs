using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Observability;

/// <summary>
/// Counts the body bytes a response sends, for the access log's <c>bytes</c> (chunked answers, proxied or the
/// gateway's own problems, have no Content-Length). The same wrapping as ASP.NET Core's response compression:
/// the body stream is wrapped and its PipeWriter is built over it, so both ways of writing are counted.
/// Installed only while the access log writes lines; it bypasses Kestrel's own PipeWriter.
/// </summary>
internal sealed class ResponseBodyCounter : Stream
{
    private readonly Stream _inner;
    private readonly IHttpResponseBodyFeature _original;
    private readonly StreamResponseBodyFeature _counted;

    private ResponseBodyCounter(IHttpResponseBodyFeature original)
    {
        _original = original;
        _inner = original.Stream;
        _counted = new StreamResponseBodyFeature(this, original);
    }

    public long Written { get; private set; }

    /// <summary>Null for upgrade requests (WebSockets): after the upgrade the body must not be flushed.</summary>
    public static ResponseBodyCounter? TryInstall(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true)
        {
            return null;
        }

        var counter = new ResponseBodyCounter(context.Features.GetRequiredFeature<IHttpResponseBodyFeature>());
        context.Features.Set<IHttpResponseBodyFeature>(counter._counted);
        return counter;
    }

    /// <summary>Flushes what was written through the PipeWriter (the response then starts) and puts Kestrel's body back.</summary>
    public Task CompleteAsync() => _counted.CompleteAsync();

    public void Uninstall(HttpContext context) => context.Features.Set(_original);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Written += count;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        Written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Written += buffer.Length;
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
