#!/usr/bin/env bash
# Bootstrap for machines without pwsh: builds the bundled PowerShell host (containerps) and runs build.ps1 in it.
# Usage: ./build.sh [build|test|demo|bench|package]
set -euo pipefail
cd "$(dirname "$0")"
if command -v pwsh >/dev/null 2>&1; then
  exec pwsh -NoLogo -NoProfile -File ./build.ps1 "$@"
fi
echo "==> dotnet build src/ContainerPS.Host (bundled PowerShell host, no pwsh here)"
dotnet build src/ContainerPS.Host/ContainerPS.Host.csproj -c Release -o .build/host --nologo -v quiet
exec .build/host/containerps -NoLogo -NoProfile -File ./build.ps1 "$@"
