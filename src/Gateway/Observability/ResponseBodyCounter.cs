using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Observability;

/// <summary>
/// Counts the body bytes a response sends, for the access log's <c>bytes</c> (chunked answers, proxied or the
/// gateway's own problems, have no Content-Length). Every call goes to Kestrel's own body feature; only the
/// stream and the pipe writer that callers write through are wrapped (each made on first use), so buffering,
/// ordering, chunking and completion stay Kestrel's. Installed only while the access log writes lines.
/// </summary>
internal sealed class ResponseBodyCounter(IHttpResponseBodyFeature kestrel) : IHttpResponseBodyFeature
{
    private CountingStream? _stream;
    private CountingWriter? _writer;
    private long _sentFiles;

    public long Written => (_stream?.Written ?? 0) + (_writer?.Written ?? 0) + _sentFiles;

    public Stream Stream => _stream ??= new CountingStream(kestrel.Stream);

    public PipeWriter Writer => _writer ??= new CountingWriter(kestrel.Writer);

    /// <summary>Null for upgrade requests (WebSockets), whose bytes after the upgrade are not the response body.</summary>
    public static ResponseBodyCounter? TryInstall(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true)
        {
            return null;
        }

        var counter = new ResponseBodyCounter(context.Features.GetRequiredFeature<IHttpResponseBodyFeature>());
        context.Features.Set<IHttpResponseBodyFeature>(counter);
        return counter;
    }

    public void Uninstall(HttpContext context) => context.Features.Set(kestrel);

    public void DisableBuffering() => kestrel.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => kestrel.StartAsync(cancellationToken);

    public Task CompleteAsync() => kestrel.CompleteAsync();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        _sentFiles += count ?? new FileInfo(path).Length - offset;
        return kestrel.SendFileAsync(path, offset, count, cancellationToken);
    }

    private sealed class CountingWriter(PipeWriter inner) : PipeWriter
    {
        public long Written { get; private set; }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes)
        {
            inner.Advance(bytes);
            Written += bytes;
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            Written += source.Length;
            return inner.WriteAsync(source, cancellationToken);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

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
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written += buffer.Length;
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
