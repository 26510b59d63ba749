namespace EpiGrid;

/// <summary>
/// The shared string table of the UI. The text in the pages is Chinese (zh-CN, the default) and is its own key;
/// Resources/SharedResource.en.resx gives the English.
/// </summary>
public sealed class SharedResource;
