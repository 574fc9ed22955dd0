using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary>Shared console conventions: progress and results on stdout, problems on stderr.</summary>
internal static class CliOutput
{
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });

    /// <summary>Prints an error line (escaped: file names and messages may hold brackets).</summary>
    public static void Fail(string message) => Error.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");

    public static void Done(string message) => AnsiConsole.MarkupLine($"[green]✓[/] {Markup.Escape(message)}");
}
