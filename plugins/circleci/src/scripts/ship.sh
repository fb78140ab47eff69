#!/bin/sh
# Ship this CircleCI build's artifact with the pinned gimlet CLI. The CLI reads the build from CIRCLE_* and
# authenticates with $CIRCLE_OIDC_TOKEN_V2 by itself (or $GIMLET_TOKEN); this script only turns parameters into flags.
set -eu

if [ -z "${PARAM_SERVER:-}" ]; then
  echo "server: required (the Gimlet server URL)" >&2
  exit 2
fi
if [ -z "${CIRCLE_OIDC_TOKEN_V2:-}" ] && [ -z "${GIMLET_TOKEN:-}" ]; then
  echo "no CIRCLE_OIDC_TOKEN_V2 in this job (pipelines triggered from a VCS have one) and no GIMLET_TOKEN" >&2
  exit 2
fi

set -- ship --server "$PARAM_SERVER" --timeout "${PARAM_TIMEOUT:-600}"
if [ -n "${PARAM_MANIFESTS:-}" ] && [ "$PARAM_MANIFESTS" != ".gimlet" ]; then set -- "$@" --manifests "$PARAM_MANIFESTS"; fi
if [ -n "${PARAM_DEPLOY:-}" ]; then set -- "$@" --deploy "$PARAM_DEPLOY"; fi
if [ -n "${PARAM_APP:-}" ]; then set -- "$@" --app "$PARAM_APP"; fi
if [ -n "${PARAM_TARGET_BRANCH:-}" ]; then set -- "$@" --target-branch "$PARAM_TARGET_BRANCH"; fi
case "${PARAM_WAIT:-false}" in true | 1) set -- "$@" --wait ;; esac

# GIMLET_CLI runs another build of the CLI (tests, air-gapped runners); default: the pinned npm package.
if [ -n "${GIMLET_CLI:-}" ]; then
  # shellcheck disable=SC2086 # GIMLET_CLI is a command line, e.g. "node /opt/gimlet-cli/index.js"
  exec $GIMLET_CLI "$@"
fi
exec npx --yes "gimlet-for-github@${PARAM_CLI_VERSION:-0.1.0}" "$@"
