using Antlr4.Runtime;
using Cel.Internal;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>Parses CEL with the Cel package's grammar, collecting every lexer and parser error (the package's own Parse misses lexer errors).</summary>
internal static class CelSyntax
{
    /// <summary>The parse tree, or null with the syntax errors.</summary>
    public static (CelParser.StartContext? Tree, IReadOnlyList<CelIssue> Issues) Parse(string source)
    {
        var issues = new List<CelIssue>();
        var lexer = new CelLexer(new AntlrInputStream(source));
        lexer.RemoveErrorListeners();
        lexer.AddErrorListener(new LexerErrors(issues));
        var parser = new CelParser(new CommonTokenStream(lexer));
        parser.RemoveErrorListeners();
        parser.AddErrorListener(new ParserErrors(issues));
        var tree = parser.start();
        return issues.Count == 0 ? (tree, issues) : (null, issues);
    }

    private sealed class LexerErrors(List<CelIssue> issues) : IAntlrErrorListener<int>
    {
        public void SyntaxError(TextWriter output, IRecognizer recognizer, int offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            issues.Add(new CelIssue(line, charPositionInLine, "Syntax error: " + msg));
    }

    private sealed class ParserErrors(List<CelIssue> issues) : IAntlrErrorListener<IToken>
    {
        public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            issues.Add(new CelIssue(line, charPositionInLine, "Syntax error: " + msg));
    }
}
