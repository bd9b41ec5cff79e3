using Grpc.Core;
using Samples.Grpc.V1;

namespace Samples.Grpc;

/// <summary>samples.v1.Sample: answers as the request asks, failures included (see Protos/sample.proto).</summary>
public sealed class SampleService : Sample.SampleBase
{
    public const int MaxDelayMs = 60_000;
    public const int MaxCount = 1000;
    public const int DefaultCount = 5;
    public const int MaxIntervalMs = 10_000;

    /// <summary>The least pause between the last reply and a reset (see <see cref="Watch"/>).</summary>
    public const int ResetPauseMs = 500;

    public override async Task<Reply> Get(GetRequest request, ServerCallContext context)
    {
        await FailAsAskedAsync(request.FailWith, request.DelayMs, context);
        return NewReply(request.Id, 1);
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<Reply> responseStream, ServerCallContext context)
    {
        Require(request.Count is >= 0 and <= MaxCount, $"count must be 0 to {MaxCount} (0 means {DefaultCount}).");
        Require(request.IntervalMs is >= 0 and <= MaxIntervalMs, $"interval_ms must be 0 to {MaxIntervalMs}.");
        Require(request.ResetAfter >= 0, "reset_after must not be negative.");
        await FailAsAskedAsync(request.FailWith, request.DelayMs, context);

        var count = request.Count == 0 ? DefaultCount : request.Count;
        for (var sequence = 1; sequence <= count; sequence++)
        {
            if (sequence > 1 && request.IntervalMs > 0)
            {
                await Task.Delay(request.IntervalMs, context.CancellationToken);
            }

            await responseStream.WriteAsync(NewReply(0, sequence), context.CancellationToken);
            if (sequence == request.ResetAfter)
            {
                // A reset discards what is still queued here and, in SocketsHttpHandler, what the client received but
                // has not read yet: the pause gives the replies time to be read first, then the failure.
                await Task.Delay(Math.Max(request.IntervalMs, ResetPauseMs), context.CancellationToken);
                // RST_STREAM (INTERNAL_ERROR) on this stream alone, the connection stays: no trailers, no grpc-status.
                context.GetHttpContext().Abort();
                return;
            }
        }
    }

    private static async Task FailAsAskedAsync(int failWith, int delayMs, ServerCallContext context)
    {
        Require(failWith is >= 0 and <= (int)StatusCode.Unauthenticated, "fail_with must be a gRPC status code, 0 to 16.");
        Require(delayMs is >= 0 and <= MaxDelayMs, $"delay_ms must be 0 to {MaxDelayMs}.");
        if (delayMs > 0)
        {
            // Cancelled at the call's deadline (the server then answers DEADLINE_EXCEEDED) or when the client goes away.
            await Task.Delay(delayMs, context.CancellationToken);
        }

        if (failWith != 0)
        {
            var status = (StatusCode)failWith;
            throw new RpcException(new Status(status, $"The gRPC sample answered {status} as asked."));
        }
    }

    private static void Require(bool valid, string message)
    {
        if (!valid)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, message));
        }
    }

    private static Reply NewReply(int id, int sequence) => new()
    {
        Id = id,
        Sequence = sequence,
        Text = $"reply {sequence}",
        ServedBy = Environment.MachineName,
    };
}
