using Gateway;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddGateway();

var app = builder.Build();
app.UseGateway();
await app.RunAsync();
