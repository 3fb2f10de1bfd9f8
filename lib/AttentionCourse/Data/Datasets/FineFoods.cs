namespace AttentionCourse.Data;

/// <summary>One Amazon Fine Food review: the product id, the review text and whether it was rated "great" (5 stars).</summary>
/// <param name="Product">Amazon product id (ASIN).</param>
/// <param name="Text">The review as written (may contain HTML such as <c>&lt;br /&gt;</c>; see <see cref="WordTokenizer"/>).</param>
/// <param name="Great">True for a 5-star review ("great"), false for 1–4 stars ("other").</param>
public sealed record Review(string Product, string Text, bool Great)
{
    /// <summary>The class id used by the models: 1 = great, 0 = other.</summary>
    public long Label => Great ? 1 : 0;
}

/// <summary>
/// The Amazon Fine Food reviews subset of the R package modeldata (<c>small_fine_foods</c>): 4,000 training and 1,000
/// test reviews, each labelled "great" (5 stars) or "other" (see <c>data/README.md</c> for source, licence and the
/// conversion script). The test split is only ever used for testing: validation data are carved out of the training
/// split (<see cref="SplitValidation"/>).
/// </summary>
public static class FineFoods
{
    /// <summary>The name of the data set's folder under <c>data/</c>.</summary>
    public const string Set = "fine-foods";

    /// <summary>The class names, by label id.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = new[] { "other", "great" };

    /// <summary>Loads the shipped training split (4,000 reviews).</summary>
    public static IReadOnlyList<Review> Train() => Read(DataFiles.Find($"{Set}/train.csv.gz"));

    /// <summary>Loads the shipped test split (1,000 reviews).</summary>
    public static IReadOnlyList<Review> Test() => Read(DataFiles.Find($"{Set}/test.csv.gz"));

    /// <summary>
    /// Reads a file in the package's format: CSV (plain or gzip) with columns <c>product</c>, <c>review</c> and
    /// <c>score</c>, score being <c>great</c> or <c>other</c>. A missing column, an unknown score or an empty review is
    /// an <see cref="InvalidDataException"/> naming the file and line.
    /// </summary>
    public static IReadOnlyList<Review> Read(string path)
    {
        var table = Csv.Read(path);
        int product = table.Column("product"), review = table.Column("review"), score = table.Column("score");
        if (table.Records.Count == 0) throw new InvalidDataException($"{path}: line 2: no reviews after the header.");
        return table.Records.Select(r =>
        {
            var text = r.Fields[review];
            if (string.IsNullOrWhiteSpace(text)) throw new InvalidDataException($"{path}: line {r.Line}: the review text is empty.");
            bool great = r.Fields[score] switch
            {
                "great" => true,
                "other" => false,
                var other => throw new InvalidDataException($"{path}: line {r.Line}: score must be 'great' or 'other'; got '{other}'."),
            };
            return new Review(r.Fields[product], text, great);
        }).ToArray();
    }

    /// <summary>
    /// Splits a training set into training and validation parts by a seeded shuffle (stratified: each class keeps its
    /// share), so thresholds and early stopping never look at the test split.
    /// </summary>
    /// <param name="reviews">The training split.</param>
    /// <param name="validationCount">How many reviews go to validation.</param>
    /// <param name="seed">Seed of the shuffle, e.g. <c>Course.SeedFor("validation split")</c>.</param>
    public static (IReadOnlyList<Review> train, IReadOnlyList<Review> validation) SplitValidation(IReadOnlyList<Review> reviews, int validationCount, int seed)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        if (validationCount < 1 || validationCount >= reviews.Count)
            throw new ArgumentException($"validationCount must lie in [1, {reviews.Count - 1}] (reviews.Count − 1); got {validationCount}.", nameof(validationCount));
        var random = new Random(seed);
        var validation = new List<Review>();
        var train = new List<Review>();
        var groups = reviews.GroupBy(r => r.Great).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        for (int g = 0; g < groups.Length; g++)
        {
            var items = groups[g];
            random.Shuffle(items);
            // Each class its proportional share; the last class takes the rest, so the total is exactly validationCount.
            int take = g < groups.Length - 1
                ? (int)Math.Round((double)validationCount * items.Length / reviews.Count)
                : validationCount - validation.Count;
            validation.AddRange(items.Take(take));
            train.AddRange(items.Skip(take));
        }
        // Interleave the classes again (a seeded shuffle), so a prefix of either part is a fair sample.
        var trainArray = train.ToArray();
        var validationArray = validation.ToArray();
        random.Shuffle(trainArray);
        random.Shuffle(validationArray);
        return (trainArray, validationArray);
    }
}
