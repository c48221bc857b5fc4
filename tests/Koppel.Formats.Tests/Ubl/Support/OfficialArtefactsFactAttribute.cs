namespace Koppel.Formats.Tests.Ubl.Support;

/// <summary>A fact that needs the shared corpus (with its official rules) and Saxon-HE; skipped visibly without them.</summary>
public sealed class OfficialArtefactsFactAttribute : FactAttribute
{
    public OfficialArtefactsFactAttribute()
    {
        if (Corpus.RootOrNull is null)
        {
            Skip = $"shared corpus not found above {Corpus.SearchedFrom}";
        }
        else if (!OfficialArtefacts.SaxonInstalled)
        {
            Skip = $"Saxon-HE not installed ({OfficialArtefacts.SaxonJar}; scripts/test.sh installs libsaxonhe-java)";
        }
    }
}
