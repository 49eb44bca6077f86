using System.Text.Json.Nodes;
using Cel;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>One <c>x-kubernetes-validations</c> entry compiled for the schema node it sits on, as kube-apiserver compiles it.</summary>
internal sealed class CompiledRule
{
    private CompiledRule(JsonObject entry)
    {
        Rule = Text(entry["rule"]);
        Message = Text(entry["message"]);
        MessageExpression = Text(entry["messageExpression"]);
        Reason = entry["reason"] is JsonValue reason && reason.TryGetValue<string>(out var r) ? r : null;
        FieldPath = Text(entry["fieldPath"]);
        OptionalOldSelf = entry["optionalOldSelf"] is JsonValue o && o.TryGetValue<bool>(out var optional) ? optional : null;
    }

    /// <summary>The CEL expression.</summary>
    public string Rule { get; }

    /// <summary>The fixed message ("" when unset).</summary>
    public string Message { get; }

    /// <summary>The CEL expression that builds the message ("" when unset).</summary>
    public string MessageExpression { get; }

    /// <summary>FieldValueInvalid, FieldValueForbidden, FieldValueRequired or FieldValueDuplicate; null means Invalid.</summary>
    public string? Reason { get; }

    /// <summary>The JSON path, relative to the node, that a failure is reported on ("" when unset).</summary>
    public string FieldPath { get; }

    /// <summary>optionalOldSelf as written.</summary>
    public bool? OptionalOldSelf { get; }

    /// <summary><see cref="FieldPath"/> as a field path suffix ("spec.size", "params[a]"), or "" when unset or invalid.</summary>
    public string NormalizedFieldPath { get; private set; } = "";

    /// <summary>Whether the rule reads <c>oldSelf</c> (a transition rule: checked on updates only).</summary>
    public bool UsesOldSelf { get; private set; }

    /// <summary>Why the rule does not compile, as kube-apiserver says it, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Why the messageExpression does not compile, or null.</summary>
    public string? MessageExpressionError { get; private set; }

    /// <summary>The rule as an error names it: its message if it has one, else the expression.</summary>
    public string ErrorString => Message.Trim().Length > 0 ? Message.Trim() : Rule.Trim();

    /// <summary>What a failure says when there is no messageExpression (or it failed).</summary>
    public string MessageOrDefault => Message.Length == 0 ? $"failed rule: {ErrorString}" : Message.Trim();

    private CelProgramDelegate? Program { get; set; }

    private CelProgramDelegate? MessageProgram { get; set; }

    /// <summary>Compiles the entry for a node with schema <paramref name="schema"/> (<paramref name="resourceRoot"/>: the resource's root).</summary>
    public static CompiledRule Compile(JsonObject entry, JsonObject schema, bool resourceRoot)
    {
        var rule = new CompiledRule(entry);
        if (CelFieldPath.Resolve(rule.FieldPath, schema, out var normalized) is null)
        {
            rule.NormalizedFieldPath = normalized;
        }

        var (program, type, issues, usesOldSelf) = CompileExpression(rule.Rule, schema, resourceRoot);
        rule.UsesOldSelf = usesOldSelf;
        if (issues is not null)
        {
            rule.Error = "compilation failed: " + issues;
        }
        else if (type is not null && CelSchema.Type(type) != "boolean")
        {
            rule.Error = "cel expression must evaluate to a bool";
        }
        else if (rule.OptionalOldSelf == true && usesOldSelf)
        {
            rule.Error = "optionalOldSelf is not supported by the sandbox's CEL (the Cel package has no optional values)";
        }
        else
        {
            rule.Program = program;
        }

        if (rule.MessageExpression.Trim().Length > 0)
        {
            var (messageProgram, messageType, messageIssues, _) = CompileExpression(rule.MessageExpression, schema, resourceRoot);
            rule.MessageExpressionError = messageIssues is not null ? "messageExpression compilation failed: " + messageIssues
                : messageType is not null && CelSchema.Type(messageType) != "string" ? "messageExpression must evaluate to a string"
                : null;
            rule.MessageProgram = rule.MessageExpressionError is null ? messageProgram : null;
        }

        return rule;
    }

    /// <summary>
    /// Runs the rule: true or false, or null with the evaluation error in <paramref name="error"/>.
    /// <paramref name="oldSelf"/> is bound only when <paramref name="hasOld"/>.
    /// </summary>
    public bool? Evaluate(object? self, object? oldSelf, bool hasOld, out string? error)
    {
        error = null;
        if (Program is null)
        {
            error = $"rule compile error: {Error}";
            return null;
        }

        try
        {
            return Program(Variables(self, oldSelf, hasOld)) is true;
        }
        catch (CelNoSuchOverloadException)
        {
            error = $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {ErrorString}";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The package reports bad operands with exceptions of many kinds; each is the object's fault, not the server's.
            error = $"{e.Message} evaluating rule: {ErrorString}";
        }

        return null;
    }

    /// <summary>The message of a failed rule: its messageExpression's result when that works, else <see cref="MessageOrDefault"/>.</summary>
    public string FailureMessage(object? self, object? oldSelf, bool hasOld)
    {
        if (MessageProgram is null)
        {
            return MessageOrDefault;
        }

        try
        {
            // The API server's limits: a non-empty single line of at most 5 KiB, else the static message.
            return MessageProgram(Variables(self, oldSelf, hasOld)) is string text && text.Trim() is { Length: > 0 and <= 5120 } trimmed && !trimmed.Contains('\n')
                ? trimmed
                : MessageOrDefault;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return MessageOrDefault;
        }
    }

    /// <summary>The entry as Go's %#v prints apiextensions.ValidationRule (CRD errors show it as the invalid value).</summary>
    public string GoValue()
    {
        // Go prints a set pointer as its address; the value reads better and says the same.
        static string Pointer(string type, string? value) => $"(*{type})({value ?? "nil"})";
        return $"apiextensions.ValidationRule{{Rule:{FieldError.Quote(Rule)}, Message:{FieldError.Quote(Message)}, "
            + $"MessageExpression:{FieldError.Quote(MessageExpression)}, "
            + $"Reason:{Pointer("apiextensions.FieldValueErrorReason", Reason is null ? null : FieldError.Quote(Reason))}, "
            + $"FieldPath:{FieldError.Quote(FieldPath)}, "
            + $"OptionalOldSelf:{Pointer("bool", OptionalOldSelf is { } o ? (o ? "true" : "false") : null)}}}";
    }

    private static (CelProgramDelegate? Program, JsonObject? Type, string? Issues, bool UsesOldSelf) CompileExpression(string source, JsonObject schema, bool resourceRoot)
    {
        var (tree, syntax) = CelSyntax.Parse(source);
        if (tree is null)
        {
            return (null, null, CelIssue.Render(source, syntax), false);
        }

        var (type, issues, usesOldSelf) = CelTypeCheck.Check(tree, schema, resourceRoot);
        return issues.Count > 0
            ? (null, type, CelIssue.Render(source, issues), usesOldSelf)
            : (CelRuntime.Environment.Compile(tree), type, null, usesOldSelf);
    }

    private static Dictionary<string, object?> Variables(object? self, object? oldSelf, bool hasOld)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = self };
        if (hasOld)
        {
            variables["oldSelf"] = oldSelf;
        }

        return variables;
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
