import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { GitopsRemote, RepositoryName } from "../../shared/ports.js";
import { splitRepository } from "../github/repository.js";
import { DEFAULT_LOCAL_ROOT } from "./forge.js";
import { FileStore, serialized } from "./store.js";

const run = promisify(execFile);

export interface LocalGitopsRemoteOptions {
  /** The local store root; bare repositories go under `<root>/gitops/<owner>/<repo>.git`. Default `.gimlet-local`. */
  root?: string;
  /** Base of commit links (the local server): `<linkBase>/gitops/<owner>/<repo>/commit/<sha>`. Default: `file://<bare repo>#<sha>`. */
  linkBase?: string;
  /** The branch HEAD of a new bare repository names; default `main`. */
  initialBranch?: string;
}

/** git's environment without inherited GIT_* variables (a calling hook's GIT_DIR must not redirect `git init`). */
function gitEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith("GIT_")));
}

/**
 * Gitops repositories as local bare repositories, created empty (`git init --bare`) on first use; the
 * gitops writer pushes the first commit of the environment's branch. `cloneUrl` is the bare repo's path.
 */
export class LocalGitopsRemote implements GitopsRemote {
  private readonly store: FileStore;
  private readonly linkBase?: string;
  private readonly initialBranch: string;

  constructor(options: LocalGitopsRemoteOptions = {}) {
    this.store = new FileStore(options.root ?? DEFAULT_LOCAL_ROOT);
    this.linkBase = options.linkBase?.replace(/\/+$/, "");
    this.initialBranch = options.initialBranch ?? "main";
  }

  /** Where `repository`'s bare repo lives (whether or not it exists yet). */
  barePath(repository: RepositoryName): string {
    const { owner, repo } = splitRepository(repository);
    return this.store.path("gitops", owner, `${repo}.git`);
  }

  async cloneUrl(repository: RepositoryName): Promise<string> {
    const bare = this.barePath(repository);
    await serialized(`git-init\0${bare}`, async () => {
      if (existsSync(`${bare}/HEAD`)) return;
      await mkdir(dirname(bare), { recursive: true });
      await run("git", ["init", "--bare", "--quiet", `--initial-branch=${this.initialBranch}`, bare], {
        env: gitEnv(),
      });
    });
    return bare;
  }

  async exists(repository: RepositoryName): Promise<boolean> {
    try {
      return existsSync(`${this.barePath(repository)}/HEAD`);
    } catch {
      return false; // not a repository name
    }
  }

  commitUrl(repository: RepositoryName, sha: string): string {
    if (this.linkBase) return `${this.linkBase}/gitops/${repository}/commit/${sha}`;
    return `${pathToFileURL(this.barePath(repository)).href}#${sha}`;
  }
}
