#!/usr/bin/env bash
# `npm run demo:cli`: the engine driven by the CLI alone, no server: the example app (examples/shop) from artifact to a local gitops repository and back.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
gimlet() { node "$root/dist/cli/index.js" "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/app" && cp -r "$root/examples/shop/." "$work/app/"
cd "$work/app"
export GIMLET_ACTOR=demo
sha1=5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d
sha2=8d3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. The app's environment manifests (.gimlet/) are valid"
gimlet manifest lint .gimlet/*.yaml

step "2. CI builds commit ${sha1:0:7} on main and creates a release artifact"
gimlet artifact create --repository acme/shop --sha "$sha1" --branch main --message "Cache product images" -o artifact.json
gimlet artifact add -f artifact.json --item image=ghcr.io/acme/shop:$sha1

step "3. Which environments does a push to main release?"
gimlet policy check --artifact artifact.json || true

step "4. What staging/shop renders to"
gimlet manifest template -f .gimlet/staging.yaml --artifact artifact.json | sed -n '1,40p'
echo "  ..."

step "5. Release to staging: a local bare repository stands in for the gitops repo"
git init --quiet --bare --initial-branch=main "$work/gitops.git"
gimlet gitops deploy --repo "$work/gitops.git" --env staging --artifact artifact.json

step "6. The next commit, ${sha2:0:7}, is released too"
gimlet artifact create --repository acme/shop --sha "$sha2" --branch main --message "Faster checkout" -o artifact2.json
gimlet artifact add -f artifact2.json
gimlet gitops deploy --repo "$work/gitops.git" --env staging --artifact artifact2.json --app shop

step "7. Something is wrong: roll staging/shop back (restores the folder as a new, pinned commit)"
gimlet gitops rollback --repo "$work/gitops.git" --env staging --app shop

step "8. The release log, from git history"
gimlet gitops history --repo "$work/gitops.git" --env staging

step "9. The gitops repository a human reads"
git --git-dir "$work/gitops.git" log --format='%h %s' main
git --git-dir "$work/gitops.git" ls-tree -r --name-only main

step "10. A pull request from GitHub Actions (test/fixtures/ci-env/github-pr.env) gets a preview"
(
  set -a
  # shellcheck disable=SC1091
  . "$root/test/fixtures/ci-env/github-pr.env"
  GITHUB_EVENT_PATH="$root/test/fixtures/ci-env/github-pr.event.json"
  set +a
  gimlet artifact create --from-env -o pr.json
)
gimlet artifact add -f pr.json
gimlet policy check --artifact pr.json --env staging || true
