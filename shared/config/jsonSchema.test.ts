import { describe, expect, test } from "@jest/globals";
import { Ajv } from "ajv";
import { load } from "js-yaml";
import { gimletConfigJsonSchema } from "./jsonSchema.js";
import { parseConfigFile } from "./merge.js";

const organisation = `
environments:
  staging:
    repository: acme/gitops-staging
  production:
    repository: acme/gitops-production
    deployers: [acme/sre, alice]
`;
// a repository's file narrowing production, and an environment of its own
const repository = `
environments:
  production:
    deployers: [alice]
  qa:
    repository: acme/gitops-qa
`;

describe("the JSON Schema of .github/gimlet.yml, as an editor uses it", () => {
  const validate = new Ajv({ strict: false }).compile(gimletConfigJsonSchema());

  test("an organisation's file and a repository's narrowing file both validate", () => {
    expect(validate(load(organisation))).toBe(true);
    expect(validate(load(repository))).toBe(true);
    // and the server reads the narrowing file against the organisation's, taking production's repository from it
    const org = parseConfigFile(organisation, "acme/.github:.github/gimlet.yml");
    const own = parseConfigFile(repository, "acme/shop:.github/gimlet.yml", org);
    expect(own.config.environments.production?.repository).toBe("acme/gitops-production");
  });

  test("the server still requires repository where nothing supplies it; the editor schema still checks its shape", () => {
    expect(() => parseConfigFile(repository, "acme/shop:.github/gimlet.yml")).toThrow(
      /environments\.production\.repository: required/,
    );
    expect(validate(load("environments:\n  qa:\n    repository: not a repo\n"))).toBe(false);
    expect(validate(load("environments:\n  qa:\n    repo: acme/gitops\n"))).toBe(false);
  });
});
