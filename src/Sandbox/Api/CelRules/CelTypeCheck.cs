using System.Text.Json.Nodes;
using Antlr4.Runtime;
using Cel.Internal;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>
/// What kube-apiserver's CEL compiler checks before it accepts a rule, as far as schemas decide it: every identifier is
/// declared (<c>self</c>, <c>oldSelf</c>, a macro's variable), every function exists, every field selected from
/// <c>self</c> is in the schema. Each expression's type is its schema node (null: not known here, so not checked).
/// </summary>
internal sealed class CelTypeCheck : CelBaseVisitor<JsonObject?>
{
    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal)
    {
        "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn",
    };

    private readonly JsonObject _self;
    private readonly bool _resourceRoot;
    private readonly List<CelIssue> _issues = [];
    private readonly List<(string Name, JsonObject? Type)> _scope = [];
    private bool _usesOldSelf;

    private CelTypeCheck(JsonObject self, bool resourceRoot)
    {
        _self = self;
        _resourceRoot = resourceRoot;
    }

    /// <summary>Checks the parsed expression where <c>self</c> has schema <paramref name="self"/>; returns its type when known.</summary>
    public static (JsonObject? Type, IReadOnlyList<CelIssue> Issues, bool UsesOldSelf) Check(CelParser.StartContext tree, JsonObject self, bool resourceRoot)
    {
        var check = new CelTypeCheck(self, resourceRoot);
        var type = check.Visit(tree.e);
        return (type, check._issues, check._usesOldSelf);
    }

    /// <inheritdoc />
    public override JsonObject? VisitExpr(CelParser.ExprContext context)
    {
        var condition = Visit(context.e);
        if (context.op is null)
        {
            return condition;
        }

        var whenTrue = Visit(context.e1);
        var whenFalse = Visit(context.e2);
        return SameType(whenTrue, whenFalse);
    }

    /// <inheritdoc />
    public override JsonObject? VisitConditionalOr(CelParser.ConditionalOrContext context) => Logical(context.e, context._e1);

    /// <inheritdoc />
    public override JsonObject? VisitConditionalAnd(CelParser.ConditionalAndContext context) => Logical(context.e, context._e1);

    /// <inheritdoc />
    public override JsonObject? VisitRelation(CelParser.RelationContext context)
    {
        if (context.op is null)
        {
            return Visit(context.calc());
        }

        Visit(context.relation(0));
        Visit(context.relation(1));
        return CelSchema.Of("boolean");
    }

    /// <inheritdoc />
    public override JsonObject? VisitCalc(CelParser.CalcContext context)
    {
        if (context.op is null)
        {
            return Visit(context.unary());
        }

        return SameType(Visit(context.calc(0)), Visit(context.calc(1)));
    }

    /// <inheritdoc />
    public override JsonObject? VisitMemberExpr(CelParser.MemberExprContext context) => Visit(context.member());

    /// <inheritdoc />
    public override JsonObject? VisitLogicalNot(CelParser.LogicalNotContext context)
    {
        Visit(context.member());
        return CelSchema.Of("boolean");
    }

    /// <inheritdoc />
    public override JsonObject? VisitNegate(CelParser.NegateContext context) => Visit(context.member());

    /// <inheritdoc />
    public override JsonObject? VisitPrimaryExpr(CelParser.PrimaryExprContext context) => Visit(context.primary());

    /// <inheritdoc />
    public override JsonObject? VisitNested(CelParser.NestedContext context) => Visit(context.e);

    /// <inheritdoc />
    public override JsonObject? VisitCreateList(CelParser.CreateListContext context)
    {
        VisitChildren(context);
        return CelSchema.Of("array");
    }

    /// <inheritdoc />
    public override JsonObject? VisitCreateStruct(CelParser.CreateStructContext context)
    {
        VisitChildren(context);
        return null;
    }

    /// <inheritdoc />
    public override JsonObject? VisitCreateMessage(CelParser.CreateMessageContext context)
    {
        VisitChildren(context);
        return null;
    }

    /// <inheritdoc />
    public override JsonObject? VisitConstantLiteral(CelParser.ConstantLiteralContext context) => context.literal() switch
    {
        CelParser.IntContext or CelParser.UintContext => CelSchema.Of("integer"),
        CelParser.DoubleContext => CelSchema.Of("number"),
        CelParser.StringContext => CelSchema.Of("string"),
        CelParser.BoolTrueContext or CelParser.BoolFalseContext => CelSchema.Of("boolean"),
        _ => null,
    };

    /// <inheritdoc />
    public override JsonObject? VisitSelect(CelParser.SelectContext context)
    {
        var target = Visit(context.member());
        // cel-go places a selection at its dot, a call at its parenthesis.
        return Select(target, context.id.Text, context.op);
    }

    /// <inheritdoc />
    public override JsonObject? VisitIndex(CelParser.IndexContext context)
    {
        var target = Visit(context.member());
        Visit(context.index);
        if (CelSchema.Type(target) == "array")
        {
            return CelSchema.Items(target);
        }

        return CelSchema.IsMap(target, out var values) ? values : null;
    }

    /// <inheritdoc />
    public override JsonObject? VisitMemberCall(CelParser.MemberCallContext context)
    {
        var name = context.id.Text;
        var target = Visit(context.member());
        var args = context.args?._e ?? [];
        if (CelRuntime.Macros.Contains(name) && args.Count >= 2 && CelNames.IsIdentifier(args[0].GetText()))
        {
            var element = CelSchema.Type(target) == "array" ? CelSchema.Items(target)
                : CelSchema.IsMap(target, out _) ? CelSchema.Of("string")
                : null;
            _scope.Add((args[0].GetText(), element));
            foreach (var arg in args.Skip(1))
            {
                Visit(arg);
            }

            _scope.RemoveAt(_scope.Count - 1);
            return name switch
            {
                "filter" => target,
                "map" => CelSchema.Of("array"),
                _ => CelSchema.Of("boolean"),
            };
        }

        return Call(name, context.open, args);
    }

    /// <inheritdoc />
    public override JsonObject? VisitIdentOrGlobalCall(CelParser.IdentOrGlobalCallContext context)
    {
        var name = context.id.Text;
        if (context.op is not null)
        {
            return Call(name, context.op, context.args?._e ?? []);
        }

        for (var i = _scope.Count - 1; i >= 0; i--)
        {
            if (_scope[i].Name == name)
            {
                return _scope[i].Type;
            }
        }

        switch (name)
        {
            case "self":
                return _self;
            case "oldSelf":
                _usesOldSelf = true;
                return _self;
            case var _ when TypeNames.Contains(name):
                return null;
            default:
                Report(context.id, $"undeclared reference to '{name}' (in container '')");
                return null;
        }
    }

    private JsonObject? Call(string name, IToken at, IList<CelParser.ExprContext> args)
    {
        if (!CelRuntime.Functions.Contains(name) && !CelRuntime.Macros.Contains(name))
        {
            // cel-go's wording, and why a function Kubernetes' CEL libraries define may still be missing here.
            Report(at, $"undeclared reference to '{name}' (in container ''); the sandbox's CEL (the Cel package) has only CEL's standard functions");
        }

        foreach (var arg in args)
        {
            Visit(arg);
        }

        return name switch
        {
            "size" or "int" or "uint" or "getDate" or "getDayOfMonth" or "getDayOfWeek" or "getDayOfYear" or "getFullYear"
                or "getHours" or "getMilliseconds" or "getMinutes" or "getMonth" or "getSeconds" => CelSchema.Of("integer"),
            "double" => CelSchema.Of("number"),
            "string" => CelSchema.Of("string"),
            "has" or "bool" or "matches" or "contains" or "startsWith" or "endsWith" => CelSchema.Of("boolean"),
            _ => null,
        };
    }

    private JsonObject? Select(JsonObject? target, string name, IToken at)
    {
        var type = CelSchema.Type(target);
        if (target is null || type == "")
        {
            return null;
        }

        if (type != "object")
        {
            Report(at, $"type '{CelTypeName(type)}' does not support field selection");
            return null;
        }

        if (CelSchema.IsMap(target, out var values))
        {
            return values;
        }

        if (CelSchema.Fields(target, _resourceRoot && ReferenceEquals(target, _self)).TryGetValue(name, out var field))
        {
            return field.Schema;
        }

        if (!CelSchema.IsOpen(target))
        {
            Report(at, $"undefined field '{name}'");
        }

        return null;
    }

    private JsonObject? Logical(ParserRuleContext first, IEnumerable<ParserRuleContext> rest)
    {
        var type = Visit(first);
        var operands = rest.ToList();
        foreach (var operand in operands)
        {
            Visit(operand);
        }

        return operands.Count == 0 ? type : CelSchema.Of("boolean");
    }

    private void Report(IToken at, string message) => _issues.Add(new CelIssue(at.Line, at.Column, message));

    private static JsonObject? SameType(JsonObject? a, JsonObject? b) =>
        a is not null && b is not null && CelSchema.Type(a) == CelSchema.Type(b) && CelSchema.Type(a) is not ("" or "object" or "array") ? a : null;

    private static string CelTypeName(string type) => type switch
    {
        "integer" => "int",
        "number" => "double",
        "boolean" => "bool",
        "array" => "list",
        _ => type,
    };
}
