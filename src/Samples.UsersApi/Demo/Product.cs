namespace Samples.UsersApi.Demo;

internal sealed record Product(int Id, string Name, string Category, decimal Price)
{
    public static readonly IReadOnlyList<Product> Catalog =
    [
        new(1, "Pixel 9 Phone", "phones", 799m),
        new(2, "Galaxy S25 Phone", "phones", 899m),
        new(3, "Budget Phone Lite", "phones", 149m),
        new(4, "Noise-Cancelling Headphones", "headphones", 299m),
        new(5, "Ultrabook 14", "laptops", 1299m),
        new(6, "Gaming Laptop 17", "laptops", 1899m),
    ];

    public bool Matches(string query) =>
        Name.Contains(query, StringComparison.OrdinalIgnoreCase) || Category.Contains(query, StringComparison.OrdinalIgnoreCase);
}

internal sealed record SearchResponse(string Query, IReadOnlyList<Product> Results);
