using System.Diagnostics;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Samples.UsersApi.Auth;

namespace Samples.UsersApi.Users;

internal static class UserEndpoints
{
    public static void MapUserEndpoints(this WebApplication app)
    {
        var users = app.MapGroup("/api/users");
        users.MapGet("/{id:int}", GetUser);
        users.MapPost("", CreateUser);
        users.MapPut("/{id:int}", UpdateUser);
        users.MapDelete("/{id:int}", DeleteUser);

        app.MapDelete("/api/admin/users/{id:int}", DeleteUser).RequireAuthorization(JwtAuthentication.AdminPolicy);
    }

    private static IResult GetUser(int id, UserStore store, HttpContext context)
    {
        var (outcome, user) = store.Find(id);
        if (user is null)
        {
            return OutcomeProblem(outcome, id);
        }

        // Serialised once so the ETag is exactly the hash of the bytes sent.
        var body = JsonSerializer.SerializeToUtf8Bytes(user, JsonSerializerOptions.Web);
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"");
        context.Response.GetTypedHeaders().ETag = etag;

        // RFC 9110 compares If-None-Match weakly; "*" matches any current representation.
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    private static IResult CreateUser(UserInput input, UserStore store)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (outcome, user) = store.Create(input.Name!.Trim(), input.Email!);
        return user is null ? OutcomeProblem(outcome, id: null) : TypedResults.Created($"/api/users/{user.Id}", user);
    }

    private static IResult UpdateUser(int id, UserInput input, UserStore store)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = store.Update(id, input.Name!.Trim(), input.Email!);
        return outcome == UserOutcome.Success ? TypedResults.NoContent() : OutcomeProblem(outcome, id);
    }

    private static IResult DeleteUser(int id, UserStore store)
    {
        var outcome = store.Delete(id);
        return outcome == UserOutcome.Success ? TypedResults.NoContent() : OutcomeProblem(outcome, id);
    }

    private static Dictionary<string, string[]> Validate(UserInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors["name"] = ["Name is required."];
        }

        if (!IsEmailAddress(input.Email))
        {
            errors["email"] = ["Email must be a valid address such as alice@example.com."];
        }

        return errors;
    }

    // MailAddress also accepts "Name <address>", so insist the whole input is the address.
    private static bool IsEmailAddress(string? email) =>
        MailAddress.TryCreate(email, out var address) && address.Address == email;

    private static ProblemHttpResult OutcomeProblem(UserOutcome outcome, int? id) => outcome switch
    {
        UserOutcome.NotFound => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound, title: "User not found", detail: $"No user has ever had id {id}."),
        UserOutcome.Gone => TypedResults.Problem(
            statusCode: StatusCodes.Status410Gone, title: "User deleted", detail: $"User {id} was deleted and will not come back."),
        UserOutcome.EmailTaken => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict, title: "Email already in use", detail: "Another user already has this email address."),
        _ => throw new UnreachableException($"{outcome} is not a failure."),
    };
}
