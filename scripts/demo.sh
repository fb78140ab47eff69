#!/usr/bin/env bash
# The README's first command: ship the example app through the CLI, step by step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
gimlet() { node "$root/dist/cli/index.js" "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/shop/." "$work/"
cd "$work"
sha=5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. The app's environment manifests (.gimlet/) are valid"
gimlet manifest lint .gimlet/*.yaml

step "2. CI builds commit ${sha:0:7} on main and creates a release artifact"
gimlet artifact create --repository acme/shop --sha "$sha" --branch main --message "Cache product images" -o artifact.json
gimlet artifact add -f artifact.json --item image=ghcr.io/acme/shop:$sha

step "3. Which environments does a push to main release?"
gimlet policy check --artifact artifact.json || true

step "4. The same commit tagged v1.4.0 goes to production"
gimlet artifact create --repository acme/shop --sha "$sha" --event tag --tag v1.4.0 -o tag.json
gimlet artifact add -f tag.json
gimlet policy check --artifact tag.json --env production || true

step "5. A pull request from GitHub Actions (environment of test/fixtures/ci-env/github-pr.env) gets a preview"
(
  set -a
  # shellcheck disable=SC1091
  . "$root/test/fixtures/ci-env/github-pr.env"
  GITHUB_EVENT_PATH="$root/test/fixtures/ci-env/github-pr.event.json"
  set +a
  gimlet artifact create --from-env -o pr.json
)
gimlet artifact add -f pr.json
gimlet policy check --artifact pr.json -o json
