using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Tests.Privacy;

public sealed class IdNumberTests
{
    private static readonly DateOnly Today = new(2020, 2, 7);

    [Theory]
    [InlineData("321083197812162119", "321083197812162119")]
    [InlineData("150102880730303", "150102198807303035")]
    [InlineData(" 11010519491231002x ", "11010519491231002X")]
    public void Valid_IsNormalized(string input, string expected)
    {
        Assert.Equal(expected, IdNumber.Normalize(input, Today, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("610303198001010013", "校验位")]
    [InlineData("991083197812162119", "省级代码")]
    [InlineData("321083203012162112", "出生日期")]
    [InlineData("32108319781316211X", "出生日期")]
    [InlineData("12345", "18 位")]
    [InlineData("", "18 位")]
    public void Invalid_SaysWhy(string input, string reason)
    {
        Assert.Null(IdNumber.Normalize(input, Today, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData(ProtectedKind.IdNumber, "610303198001010012", "610303********0012")]
    [InlineData(ProtectedKind.Phone, "13612345678", "136****5678")]
    [InlineData(ProtectedKind.Phone, "0917-3211234", "0917-***1234")]
    public void Mask_ShowsOnlyWhatTheOfficeShows(ProtectedKind kind, string value, string masked) =>
        Assert.Equal(masked, PrivacyKit.Mask(kind, value));

    [Theory]
    [InlineData("+86 136 1234 5678", "13612345678")]
    [InlineData("8613612345678", "13612345678")]
    [InlineData("0917-3211234", "0917-3211234")]
    [InlineData("12345678901", null)]
    [InlineData("1361234567", null)]
    public void Phone_ValidatesMobilesAndLandlines(string input, string? expected) => Assert.Equal(expected, Phone.Validate(input));
}
