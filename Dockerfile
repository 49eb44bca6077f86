# syntax=docker/dockerfile:1
# The pgreplica operator image: the SDK image builds, a chiseled ASP.NET runtime image runs.
# Build:  docker build -t pgreplica-operator:dev .

# The build stage runs on the builder's own platform and cross-compiles for the target,
# so a multi-arch build does not emulate the SDK.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
ARG TARGETARCH
WORKDIR /src

# Restore first from the project files alone, so source edits keep the restore layer cached.
COPY Directory.Build.props ./
COPY src/Kube/Kube.csproj src/Kube/
COPY src/Entities/Entities.csproj src/Entities/
COPY src/Sandbox/Sandbox.csproj src/Sandbox/
COPY src/Operator/Operator.csproj src/Operator/
RUN dotnet restore src/Operator/Operator.csproj -a $TARGETARCH -p:PublishReadyToRun=true

COPY src/ src/
# ReadyToRun (not trimmed): Npgsql, YamlDotNet and System.Text.Json use reflection that trimming would break.
RUN dotnet publish src/Operator/Operator.csproj --no-restore -c Release -a $TARGETARCH --self-contained false -p:PublishReadyToRun=true -o /app

# The runtime stage: no shell, no package manager; the ASP.NET runtime serves /metrics and the probes.
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
# The chiseled image's non-root "app" user; numeric so that runAsNonRoot can verify it.
USER 1654:1654
# Without the diagnostics IPC socket the runtime writes nothing outside the /tmp emptyDir,
# so the container runs with a read-only root filesystem.
ENV DOTNET_EnableDiagnostics=0
# /metrics, /healthz and /readyz.
EXPOSE 8080
ENTRYPOINT ["/app/pgreplica", "run"]
CMD ["--metrics-address", "0.0.0.0:8080", "--log-format", "json"]
