using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>
/// How much of a map over an image (an attention map, a spatial gate) falls on a region (an object's box): the measure
/// lessons 03, 09 and 15 use to say whether a map "localises" the object.
/// </summary>
public static class Localisation
{
    /// <summary>
    /// Per image, the share of the map's total mass inside the region: Σ_{p ∈ region} m_p / Σ_p m_p, with the map
    /// stretched to the region's resolution by repeating each cell (a 14×14 map over a 56×56 canvas: each cell covers
    /// 4×4 pixels). A map spread evenly over the image scores the region's area share (<see cref="AreaShare"/>).
    /// </summary>
    /// <param name="maps"><c>(N, h, w)</c>, non-negative.</param>
    /// <param name="region"><c>(N, H, W)</c> Bool, H and W multiples of h and w.</param>
    /// <returns><c>(N)</c> Float32 in [0, 1].</returns>
    public static Tensor MassInside(Tensor maps, Tensor region)
    {
        Layers.Check.Rank(maps, 3, nameof(maps), "(count, height, width)");
        Layers.Check.Rank(region, 3, nameof(region), "(count, height, width)");
        Layers.Check.Size(region, 0, maps.shape[0], nameof(region), "count, must match maps");
        if (region.shape[1] % maps.shape[1] != 0 || region.shape[2] % maps.shape[2] != 0)
            throw new ArgumentException($"region's height and width ({region.shape[1]}, {region.shape[2]}) must be multiples of the map's ({maps.shape[1]}, {maps.shape[2]}).", nameof(region));
        using var scope = NewDisposeScope();
        var stretched = maps.to_type(ScalarType.Float32)
            .repeat_interleave(region.shape[1] / maps.shape[1], 1)
            .repeat_interleave(region.shape[2] / maps.shape[2], 2);                         // (N, H, W)
        var inside = (stretched * region.to_type(ScalarType.Float32)).sum([1, 2]);           // (N)
        return (inside / stretched.sum([1, 2])).MoveToOuterDisposeScope();                  // (N)
    }

    /// <summary>Per image, the region's share of the image area (what an even map scores). <paramref name="region"/>: <c>(N, H, W)</c> Bool.</summary>
    public static Tensor AreaShare(Tensor region)
    {
        Layers.Check.Rank(region, 3, nameof(region), "(count, height, width)");
        return region.to_type(ScalarType.Float32).mean([1, 2]);
    }
}
