using Samples.GrpcClient;

return await GrpcClientCli.RunAsync(args, Console.Out);
