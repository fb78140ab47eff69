/**
 * Generated hostile input for fuzz tests: a seeded generator (the same inputs on every run, so a failure
 * reproduces) of JSON values, strings and mutations of valid documents.
 */
export class Hostile {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Strings people and attackers send: traversal, control characters, huge, unicode, injection, empty. */
  string(): string {
    const choices: Array<() => string> = [
      () => "../../../evil",
      () => "..",
      () => "/etc/passwd",
      () => "a/../../b",
      () => "C:\\windows\\system32",
      () => "\u0000\u0001\u001f",
      () => "x".repeat(1 + this.int(70_000)),
      () => "💥".repeat(1 + this.int(200)),
      () => "{{ .SECRET }}",
      () => '{{ printf "%s" (printf "%s" .SHA) | trunc -1 }}',
      () => "-rf",
      () => "--upload-pack=touch /tmp/pwned",
      () => "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
      () => "",
      () => " ",
      () => "__proto__",
      () => "constructor",
      () => "main",
      () => "staging",
      () => "refs/heads/main",
      () => "acme/shop",
      () => String(this.int(1e9)),
      () => Math.random.toString(),
      () => "\r\nX-Injected: 1",
      () => "<script>alert(1)</script>",
      () => "'; DROP TABLE x; --",
    ];
    return this.pick(choices)();
  }

  /** Any JSON value, nested at most `depth` levels. */
  value(depth = 4): unknown {
    const kind = this.int(depth <= 0 ? 6 : 9);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.next() < 0.5;
      case 2:
        return this.pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 65535]);
      case 3:
      case 4:
      case 5:
        return this.string();
      case 6:
        return Array.from({ length: this.int(5) }, () => this.value(depth - 1));
      default: {
        const out: Record<string, unknown> = {};
        for (let i = this.int(5); i > 0; i--) out[this.string().slice(0, 40)] = this.value(depth - 1);
        return out;
      }
    }
  }

  /** A copy of `doc` with one to three values somewhere in it replaced, deleted, or retyped. */
  mutate<T>(doc: T): unknown {
    const copy = structuredClone(doc) as unknown;
    for (let n = 1 + this.int(3); n > 0; n--) this.mutateOnce(copy);
    return copy;
  }

  private mutateOnce(root: unknown): void {
    // Walk to a random container, then change one of its members.
    let node = root;
    for (let steps = this.int(6); steps > 0; steps--) {
      const children = containerChildren(node);
      const child = children.length ? this.pick(children) : undefined;
      if (child === undefined || !isContainer(child)) break;
      node = child;
    }
    if (Array.isArray(node)) {
      const action = this.int(3);
      if (action === 0 && node.length) node.splice(this.int(node.length), 1);
      else if (action === 1) node.push(this.value(2));
      else if (node.length) node[this.int(node.length)] = this.value(2);
    } else if (isRecord(node)) {
      const keys = Object.keys(node);
      const action = this.int(3);
      if (action === 0 && keys.length) delete node[this.pick(keys)];
      else if (action === 1) node[this.string().slice(0, 30)] = this.value(2);
      else if (keys.length) node[this.pick(keys)] = this.value(2);
    }
  }

  /** A raw body: JSON of a value, or text that is not JSON, or JSON nested too deep. */
  rawBody(valid: () => unknown): string {
    const kind = this.int(10);
    if (kind === 0) return "";
    if (kind === 1) return "{".repeat(1 + this.int(100_000));
    if (kind === 2) return `${'{"a":'.repeat(100 + this.int(50_000))}1${"}".repeat(100)}`;
    if (kind === 3) return "not json at all";
    if (kind === 4) return JSON.stringify(this.value());
    if (kind === 5) return "\u0000\uffff".repeat(this.int(100));
    return JSON.stringify(this.mutate(valid()));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isContainer(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function containerChildren(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (isRecord(node)) return Object.values(node);
  return [];
}
