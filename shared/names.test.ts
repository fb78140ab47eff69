import { expect, test } from "@jest/globals";
import { DNS_LABEL, REPOSITORY_NAME, REPOSITORY_PATH } from "./names.js";

test("a repository name is owner/repo in GitHub's characters, and no segment is . or ..", () => {
  for (const name of ["acme/shop", "Hello-World/x_y.z", ".github/.github", "a/...", "a/..b"])
    expect([name, REPOSITORY_NAME.test(name)]).toEqual([name, true]);
  for (const name of ["acme", "acme/shop/x", "../x", "./x", "a/..", "a/.", "a b/c", "a/c:d", "/a", "a/"])
    expect([name, REPOSITORY_NAME.test(name)]).toEqual([name, false]);
});

test("a repository path may have groups (GitLab), with the same segments", () => {
  expect(REPOSITORY_PATH.test("group/sub/project")).toBe(true);
  expect(REPOSITORY_PATH.test("acme/shop")).toBe(true);
  expect(REPOSITORY_PATH.test("group/../project")).toBe(false);
  expect(REPOSITORY_PATH.test("project")).toBe(false);
});

test("a DNS label: lowercase letters, digits and inner dashes, at most 63 characters", () => {
  for (const label of ["a", "shop-pr-42", "0abc", "a".repeat(63)]) expect(DNS_LABEL.test(label)).toBe(true);
  for (const label of ["", "-a", "a-", "Shop", "a_b", "a.b", "a".repeat(64), "../x"])
    expect(DNS_LABEL.test(label)).toBe(false);
});
