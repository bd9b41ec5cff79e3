using Gateway;
using Gateway.Hosting;

return await GatewayProgram.RunAsync(async () =>
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.AddGateway();
    var app = builder.Build();
    app.UseGateway();
    await app.RunAsync();
});
