#!/usr/bin/env bash
# Runs build.ps1 in pwsh: the pwsh on PATH when it is 7.4 or later, otherwise the PowerShell .NET tool that
# .config/dotnet-tools.json pins (7.6.10), restored here on first use.
# Usage: ./build.sh [build|test|demo|bench|package]
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off

pwsh_fits() {
  command -v pwsh >/dev/null 2>&1 &&
    pwsh -NoLogo -NoProfile -NonInteractive -Command 'exit [int]($PSVersionTable.PSVersion -lt [version]"7.4")' >/dev/null 2>&1
}

if ! pwsh_fits; then
  echo "==> dotnet tool restore (PowerShell 7.6.10)"
  dotnet tool restore >/dev/null
  # .build/bin/pwsh starts the tool from anywhere (dotnet tool run only works below this folder), so the build, the
  # tests and the examples can start a fresh pwsh by name.
  shim=$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/powershell/7.6.10/tools" -name Microsoft.PowerShell.GlobalTool.Shim.dll -path '*/any/*' | head -1)
  mkdir -p .build/bin
  printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$shim" > .build/bin/pwsh
  chmod +x .build/bin/pwsh
  export PATH="$PWD/.build/bin:$PATH"
fi
exec pwsh -NoLogo -NoProfile -NonInteractive -File ./build.ps1 "$@"
