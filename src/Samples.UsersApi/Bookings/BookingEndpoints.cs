using System.Globalization;

namespace Samples.UsersApi.Bookings;

// Dates arrive as strings so a bad one gets a 400 naming the field, not a bare JSON error.
internal sealed record BookingRequest(string? CheckIn, string? CheckOut);

internal static class BookingEndpoints
{
    public static void MapBookingEndpoints(this WebApplication app)
    {
        app.MapPost("/api/bookings", CreateBooking);
        app.MapGet("/api/bookings/{id:int}", (int id, BookingStore store) =>
            store.Find(id) is { } booking
                ? Results.Ok(booking)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Booking not found"));
    }

    // 400 when the request cannot be read; 422 when it is well-formed but makes no sense.
    private static IResult CreateBooking(BookingRequest request, BookingStore store)
    {
        var errors = new Dictionary<string, string[]>();
        var checkIn = ParseDate(request.CheckIn, "checkIn", errors);
        var checkOut = ParseDate(request.CheckOut, "checkOut", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (checkOut <= checkIn)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Check-out must be after check-in",
                detail: $"checkOut ({checkOut:yyyy-MM-dd}) is not after checkIn ({checkIn:yyyy-MM-dd}); a booking lasts at least one night.");
        }

        var booking = store.Add(checkIn, checkOut);
        return TypedResults.Created($"/api/bookings/{booking.Id}", booking);
    }

    private static DateOnly ParseDate(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[field] = [$"{field} is required and must be an ISO 8601 date (yyyy-MM-dd)."];
        return default;
    }
}
