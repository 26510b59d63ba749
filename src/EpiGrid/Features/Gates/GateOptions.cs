namespace EpiGrid.Features.Gates;

/// <summary>Settings under <c>EpiGrid:Gates</c>.</summary>
public sealed class GateOptions
{
    public const string Section = "EpiGrid:Gates";

    /// <summary>A shared gate phone locks its gate page after this many idle minutes (DESIGN.md, "Compound gates").</summary>
    public double IdleLockMinutes { get; set; } = 3;

    /// <summary>Passes waiting for the group-commit writer (ADR-010) besides the batch it is writing. A pass that finds the
    /// queue full is not stored and is answered 503 with Retry-After. 4,096 is ~0.25 s of the writer's work at G1's
    /// throughput: enough for any burst, small enough that a wait in the queue stays short under overload.</summary>
    public int PassQueueLimit { get; set; } = 4096;

    /// <summary>How long a request waits for the commit of its pass before it is answered 503 with Retry-After. The pass
    /// may still be committed after that (the writer had taken it); a retry with the same clientId then answers it (200).</summary>
    public double PassWaitSeconds { get; set; } = 10;
}
