#!/usr/bin/env bash
# `npm run demo` (the README's first command): the app in local mode, the example app shipped to it with the CLI, Flux played by a script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
gimlet() { node "$root/dist/cli/index.js" "$@"; }
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

sha1=5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d
sha2=8d3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export GIMLET_SERVER="http://127.0.0.1:$port"

step "1. Start Gimlet in local mode (no GitHub App credentials): gitops repos are bare repos under $work/.gimlet-local"
cp "$root/gimlet.local.yml" "$work/"
(cd "$work" && PORT=$port LOG_LEVEL=warn exec node "$root/dist/app/index.js" > "$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 100); do
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$GIMLET_SERVER/healthz" && break
  sleep 0.1
done
export GIMLET_TOKEN="$(cat "$work/.gimlet-local/api-token")"
echo "listening on $GIMLET_SERVER (API token in $work/.gimlet-local/api-token)"

mkdir -p "$work/app" && cp -r "$root/examples/shop/." "$work/app/" && cd "$work/app"
step "2. CI: the example app's manifests are valid; commit ${sha1:0:7} on main becomes a release artifact"
gimlet manifest lint .gimlet/*.yaml
gimlet artifact create --repository acme/shop --sha "$sha1" --branch main --message "Cache product images" -o artifact.json
gimlet artifact add -f artifact.json --item image=ghcr.io/acme/shop:$sha1

step "3. CI ships it: the server decides by policy, creates the deployments and commits to the gitops repo"
gimlet artifact push -f artifact.json --wait

step "4. Flux applies the gitops commit (played by scripts/flux-event.mjs, signed like a generic-hmac Provider)"
node "$root/scripts/flux-event.mjs" "$GIMLET_SERVER" acme/gitops-staging "$work/.gimlet-local/gitops/acme/gitops-staging.git" "$work/.gimlet-local/flux-secret" staging

step "5. The next commit, ${sha2:0:7}, ships the same way"
gimlet artifact create --repository acme/shop --sha "$sha2" --branch main --message "Faster checkout" -o artifact2.json
gimlet artifact add -f artifact2.json
gimlet artifact push -f artifact2.json --wait

step "6. Something is wrong: roll staging/shop back (a new, pinned commit; never git revert)"
gimlet release rollback --repository acme/shop --env staging --app shop --wait

step "7. The release log, from git history"
gimlet release list --repository acme/shop --env staging

step "8. The gitops repository a human reads"
git --git-dir "$work/.gimlet-local/gitops/acme/gitops-staging.git" log --format='%h %s' main
git --git-dir "$work/.gimlet-local/gitops/acme/gitops-staging.git" ls-tree -r --name-only main

step "9. A pull request: its artifact deploys a preview (shop-pr-12); the PR gets one comment, edited in place"
sha3=0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d
gimlet artifact create --repository acme/shop --sha "$sha3" --branch feature/reviews --event pr --pr 12 --message "Product reviews" -o artifact3.json
gimlet artifact add -f artifact3.json
gimlet artifact push -f artifact3.json --wait
node -e 'for (const c of require(process.argv[1])) console.log(c.body.split("\n").filter((l) => l.startsWith("|")).join("\n"))' "$work/.gimlet-local/github/acme/shop/comments/12.json"

step "10. The PR is done: remove its preview (one delete commit, its deployment inactive, the comment says why)"
gimlet release delete --repository acme/shop --env staging --app shop-pr-12
node -e 'for (const c of require(process.argv[1])) console.log(c.body.split("\n").filter((l) => l.startsWith("|")).join("\n"))' "$work/.gimlet-local/github/acme/shop/comments/12.json"
git --git-dir "$work/.gimlet-local/gitops/acme/gitops-staging.git" log -1 --format='%h %s' main

step "11. What the Deployments tab would show (local mode keeps deployments as JSON files)"
for f in "$work"/.gimlet-local/github/acme/shop/deployments/*.json; do
  node -e 'const d=require(process.argv[1]); const s=(d.statuses||[]).at(-1)||{}; console.log(`#${d.id} ${d.environment.padEnd(20)} ${d.ref.slice(0,7)}  ${s.state||"?"}  ${s.description||""}`)' "$f"
done
echo
echo "Done. The demo server stops now; \`npm start\` keeps one running, with a page at / showing environments, apps, releases and previews."
