#!/usr/bin/env bash
# Installs (when missing) the tools the offline deployment check needs, quickly and idempotently; .ci/run runs it
# before the build, on machines that may be new. The check itself is cli's DeploymentManifestsTest:
#   docker-compose  Debian's package, without recommends, so no Docker engine comes along (`config -q` needs none)
#   kubectl         with its built-in Kustomize v5 (`kubectl kustomize` renders offline); part of the machine image
#   node + npm      run deploy/check/validate.mjs; its schemas come from npm (package-lock.json pins them)
set -euo pipefail
cd "$(dirname "$0")"

apt_updated=""
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "deploy check: '$1' is missing and this user cannot apt-get install it; install it and rerun" >&2
    return 1
  fi
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

command -v docker-compose >/dev/null || apt_install docker-compose
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm

if ! command -v kubectl >/dev/null; then
  # Debian's kubernetes-client (1.20) embeds a Kustomize too old for these manifests; nothing else installs offline.
  echo "deploy check: kubectl (1.27 or newer, for Kustomize v5) is not on this machine; the manifests cannot be rendered" >&2
  exit 1
fi
kustomize_version=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p')
if [ "${kustomize_version:-0}" -lt 5 ]; then
  echo "deploy check: kubectl's built-in Kustomize is v${kustomize_version:-?}, these manifests need v5 (kubectl 1.27+)" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install (node_modules/.package-lock.json is npm's own copy).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "deploy check tools: $(docker-compose version --short), kubectl $(kubectl version --client 2>/dev/null | head -1 | awk '{print $3}'), node $(node --version)"
