import { expect } from "@jest/globals";
import { deliver, exampleConfig, useApps, useFakeGitHub } from "./appHarness.js";
import {
  COMMENTER,
  COMMITTED_AT,
  commentPayload,
  gitopsSubjects,
  HEAD,
  PR,
  REPO,
  replies,
  shipPrArtifact,
  shipper,
} from "./commands.js";

/**
 * One test file's comment-command fixture: the GitHub stand-in and the apps (reset per test), and the setup, the
 * command and the refusal check the command tests share.
 */
export function useCommandFixture() {
  const gh = useFakeGitHub();
  const apps = useApps();

  /** acme/shop with its config, PR #7 open at HEAD (committed and pushed before the comment), the commenter with write access. */
  async function setup(options: { artifact?: boolean; requireAgentHealth?: boolean } = {}) {
    const app = await apps.start({ tokens: [shipper.record], requireAgentHealth: options.requireAgentHealth });
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig });
    gh.current.pull(REPO, PR, HEAD);
    gh.current.commitDates.set(HEAD, COMMITTED_AT);
    gh.current.pushedAt.set(HEAD, COMMITTED_AT);
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "write");
    const artifactId = options.artifact === false ? undefined : await shipPrArtifact(app);
    return {
      app,
      artifactId,
      staging: app.bare("acme/gitops-staging"),
      production: app.bare("acme/gitops-production"),
    };
  }

  async function command(app: { url: string; waitIdle(): Promise<void> }, body: string, options = {}) {
    const response = await deliver(app, "issue_comment", commentPayload(body, options));
    expect(response.status).toBe(200);
    await app.waitIdle();
  }

  /** The safety contract: one reply naming the reason, 👀 then 😕, no deployment, nothing written to gitops. */
  function expectRefused(bares: string[], reasonCode: string, sentence: RegExp | string, before: string[][] = []) {
    const answers = replies(gh.current);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain(`**Refused** (\`${reasonCode}\`), @${COMMENTER}: `);
    expect(answers[0]).toMatch(sentence);
    expect(gh.current.reactionsOf(900001)).toEqual(["eyes", "confused"]);
    expect(gh.current.deployments.size).toBe(0);
    for (const [i, bare] of bares.entries()) expect(gitopsSubjects(bare)).toEqual(before[i] ?? []);
    return answers[0] as string;
  }

  return { gh, apps, setup, command, expectRefused };
}
