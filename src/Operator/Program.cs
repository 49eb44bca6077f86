using PgReplica.Operator.Cli;

// `pgreplica` alone, or with only options, means `pgreplica run`, as the issue asks of the default subcommand.
return await OperatorCommandLine.Build().Parse(OperatorCommandLine.WithDefaultSubcommand(args)).InvokeAsync();
