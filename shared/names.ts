/**
 * The naming rules several parts of the product share, each written once: repository names and DNS labels. (Preview
 * names live with the preview policy in `policy/preview.ts`.)
 */

/**
 * One segment of a repository name: GitHub's characters, never `.` or `..` (a name must not escape a path). Written
 * without lookahead, so the JSON Schemas generated from it work in every validator.
 */
const REPOSITORY_PART = String.raw`(?:\.?[A-Za-z0-9_-]|\.\.[A-Za-z0-9_.-])[A-Za-z0-9_.-]*`;

/** `owner/repo`, as the source of a regular expression, to compose into larger ones (tracking ids, token lists). */
export const REPOSITORY_NAME_SOURCE = `${REPOSITORY_PART}/${REPOSITORY_PART}`;

/** `owner/repo`. */
export const REPOSITORY_NAME = new RegExp(`^${REPOSITORY_NAME_SOURCE}$`);

/** `owner/group/…/repo`: a repository path with groups, as GitLab names projects (artifacts from any CI). */
export const REPOSITORY_PATH = new RegExp(`^${REPOSITORY_PART}(?:/${REPOSITORY_PART})+$`);

export const repositoryNameMessage = "must be owner/repo";

/** A Kubernetes DNS label (RFC 1123): app and env names, namespaces, folder names in gitops repositories. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const dnsLabelMessage =
  "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
