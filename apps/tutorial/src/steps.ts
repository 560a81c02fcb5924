/**
 * The tutorial's steps, discovered from its files (no list to keep in sync):
 *
 *   tutorials/paxos/steps/NN-slug/README.md   the prose; its first `# ` heading is the title
 *   tutorials/paxos/steps/NN-slug/*.scr       the step's protocol (exactly one), or else
 *   ---\nprotocol: ../../protocols/X.scr\n---  front matter in README.md naming it elsewhere
 *
 * Examples (`tutorials/examples/<name>/`, the same files) come after the steps, by name; their
 * id is `examples/<name>`.
 *
 * Steps are ordered by their folder name (`NN-`). Pure: the app passes the files Vite bundled,
 * the tests pass the files on disk, so both see the same steps.
 */

/** One step of the tutorial. */
export interface Step {
  /** The folder name, e.g. `01-one-acceptor`, or `examples/<name>` (also the URL fragment). */
  readonly id: string;
  /** A step of the Paxos tutorial, or an example. */
  readonly kind: 'step' | 'example';
  /** The folder, relative to the repository root (`tutorials/paxos/steps/01-one-acceptor`). */
  readonly dir: string;
  /** 1-based position among the steps (or among the examples). */
  readonly number: number;
  readonly title: string;
  /** The README's Markdown without its front matter and without the title heading. */
  readonly prose: string;
  /** The protocol's path relative to the repository root. */
  readonly protocolPath: string;
  /** The protocol's file name: the module name the checker expects (`Paxos.scr`). */
  readonly protocolFile: string;
  readonly protocol: string;
  /**
   * Roles the refactoring panel starts with as able to crash (front matter
   * `unreliable: A1 A2 A3`): the panel opens and plans at once. Empty: it waits for the learner.
   */
  readonly unreliable: readonly string[];
}

/** What {@link discoverSteps} found, and what is wrong with the files (shown by the app, failed by the tests). */
export interface Discovery {
  readonly steps: readonly Step[];
  readonly problems: readonly string[];
}

const STEP_DIR = /^(?<dir>.*\/steps\/(?<id>\d+-[a-z0-9-]+))\/(?<file>[^/]+)$/;
const EXAMPLE_DIR = /^(?<dir>(?:.*\/)?examples\/(?<name>[a-z0-9][a-z0-9-]*))\/(?<file>[^/]+)$/;

/**
 * The steps under `<root>/steps/`, from a map of repository-relative paths to file texts that
 * holds every step folder's files and the protocols their front matter names.
 */
export function discoverSteps(files: Readonly<Record<string, string>>): Discovery {
  const folders = new Map<string, { dir: string; readme?: string; scr: string[] }>();
  for (const path of Object.keys(files)) {
    const step = STEP_DIR.exec(path)?.groups;
    const example = step ? undefined : EXAMPLE_DIR.exec(path)?.groups;
    const m = step ?? example;
    const id = step?.['id'] ?? (example?.['name'] ? `examples/${example['name']}` : undefined);
    if (!m?.['dir'] || !m['file'] || id === undefined) continue;
    const folder = folders.get(id) ?? { dir: m['dir'], scr: [] };
    if (m['file'] === 'README.md') folder.readme = path;
    else if (m['file'].endsWith('.scr')) folder.scr.push(path);
    folders.set(id, folder);
  }
  const steps: Step[] = [];
  const problems: string[] = [];
  const kindOf = (id: string): Step['kind'] => (id.startsWith('examples/') ? 'example' : 'step');
  // Steps first (by folder name), then the examples (by name).
  const ids = [...folders.keys()].sort((a, b) =>
    kindOf(a) === kindOf(b) ? a.localeCompare(b) : kindOf(a) === 'step' ? -1 : 1,
  );
  for (const id of ids) {
    const folder = folders.get(id);
    if (!folder) continue;
    if (!folder.readme) {
      problems.push(`${folder.dir}: no README.md`);
      continue;
    }
    const { meta, body } = frontMatter(files[folder.readme] ?? '');
    const protocolPath = findProtocol(folder.dir, folder.scr, meta['protocol'], problems);
    if (protocolPath === undefined) continue;
    const protocol = files[protocolPath];
    if (protocol === undefined) {
      problems.push(`${folder.readme}: protocol ${protocolPath} not found`);
      continue;
    }
    const { title, rest } = splitTitle(body);
    if (title === undefined) problems.push(`${folder.readme}: no \`# \` title`);
    const kind = kindOf(id);
    steps.push({
      id,
      kind,
      dir: folder.dir,
      number: steps.filter((x) => x.kind === kind).length + 1,
      title: title ?? id,
      prose: rest,
      protocolPath,
      protocolFile: protocolPath.slice(protocolPath.lastIndexOf('/') + 1),
      protocol,
      unreliable: (meta['unreliable'] ?? '').split(/[\s,]+/).filter((r) => r !== ''),
    });
  }
  return { steps, problems };
}

function findProtocol(
  dir: string,
  local: readonly string[],
  named: string | undefined,
  problems: string[],
): string | undefined {
  if (named !== undefined) {
    if (local.length > 0) problems.push(`${dir}: both a .scr file and a \`protocol:\` line`);
    return resolvePath(dir, named);
  }
  if (local.length === 1) return local[0];
  problems.push(
    local.length === 0
      ? `${dir}: no .scr file and no \`protocol:\` line in README.md`
      : `${dir}: several .scr files (${local.join(', ')}): keep one per step`,
  );
  return undefined;
}

/** `---` front matter of `key: value` lines (the only form the steps use), and the rest. */
export function frontMatter(text: string): { meta: Record<string, string>; body: string } {
  const m = /^---\r?\n(?<head>[\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m?.groups) return { meta: {}, body: text };
  const meta: Record<string, string> = {};
  for (const line of (m.groups['head'] ?? '').split(/\r?\n/)) {
    const kv = /^\s*([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (kv?.[1] !== undefined && kv[2] !== undefined) meta[kv[1]] = kv[2];
  }
  return { meta, body: text.slice(m[0].length) };
}

function splitTitle(body: string): { title: string | undefined; rest: string } {
  const m = /^\s*# +(.+?)\s*#*\s*(?:\r?\n|$)/.exec(body);
  return m ? { title: m[1], rest: body.slice(m[0].length) } : { title: undefined, rest: body };
}

/** `dir` + a relative path, with `.` and `..` resolved (browser-safe). */
export function resolvePath(dir: string, relative: string): string {
  const out: string[] = [];
  for (const seg of `${dir}/${relative}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}
