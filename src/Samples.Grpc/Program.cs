using Samples.Grpc;

GrpcSampleApp.Create(args).Run();

// Internal, unlike the SDK's generated default, so projects referencing several samples never see clashing Program types.
internal partial class Program;
