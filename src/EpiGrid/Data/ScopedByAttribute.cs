namespace EpiGrid.Data;

/// <summary>
/// Marks an entity as lying in the org tree: the named property holds the id of the area it belongs to.
/// <see cref="AppDbContext"/> gives every such entity a global query filter on the caller's scope, so no
/// feature can forget it; something outside the scope is simply not found (404).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ScopedByAttribute(string areaIdProperty) : Attribute
{
    public string AreaIdProperty { get; } = areaIdProperty;
}
