using System.Collections.Concurrent;

namespace Samples.UsersApi.Bookings;

internal sealed record Booking(int Id, DateOnly CheckIn, DateOnly CheckOut, int Nights);

internal sealed class BookingStore
{
    private readonly ConcurrentDictionary<int, Booking> _bookings = new();
    private int _lastId;

    public Booking Add(DateOnly checkIn, DateOnly checkOut)
    {
        var booking = new Booking(Interlocked.Increment(ref _lastId), checkIn, checkOut, checkOut.DayNumber - checkIn.DayNumber);
        _bookings[booking.Id] = booking;
        return booking;
    }

    public Booking? Find(int id) => _bookings.GetValueOrDefault(id);
}
