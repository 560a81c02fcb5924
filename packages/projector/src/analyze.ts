import type * as ast from '@mpst/scribble';
import {
  checkFiles,
  dialectOf,
  limitDiagnostics,
  makeDiagnostic,
  memoryHost,
  parse,
  type ProtocolRef,
  type Diagnostic,
  type LoadedModule,
  type ModuleHost,
  type Program,
} from '@mpst/scribble';
import type { AnalysisResult, AnalyzeOptions, ProtocolResult, RoleResult } from './api.js';
import {
  buildEfsm,
  buildEfsmCore,
  efsmOf,
  transitionOrigins,
  type EfsmCore,
} from './efsm-build.js';
import { actionDirection } from './direction.js';
import { elaborate } from './elaborate.js';
import type { Efsm } from './efsm.js';
import { inliningNotes, type ElaboratedProtocol, type GlobalType, type Origin } from './global.js';
import type { LBranch } from './local.js';
import { localTypeToJson, type LocalTypeJson } from './local-json.js';
import { printLocal } from './print.js';
import { project, recursionsOf, showAction } from './project.js';

/**
 * Checks, elaborates and projects: `@mpst/scribble`'s static checks, then for each selected
 * protocol elaboration, well-formedness, projection onto every role and each role's EFSM.
 */
export function analyzeFiles(
  paths: readonly string[],
  host: ModuleHost,
  options: AnalyzeOptions = {},
): AnalysisResult {
  const { program, diagnostics } = checkFiles(paths, host, options);
  return analyzeProgram(program, diagnostics, options);
}

/** Options for {@link analyzeText}. */
export interface AnalyzeTextOptions extends AnalyzeOptions {
  /**
   * The file name diagnostics show. Default: `a/b/C.scr` for a text that declares
   * `module a.b.C;` (scribble-java checks that the two match), else `input.nuscr`.
   */
  readonly path?: string;
  /** Other files, by path, that the text imports (`import a.b.C;` reads `a/b/C.scr`). */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * {@link analyzeFiles} for one protocol text: checks, elaborates and projects it in memory
 * (browser-safe, no file system), with the text's imports taken from `options.files`.
 *
 * @example
 * const { protocols, diagnostics } = analyzeText('global protocol P(role A, role B) { m() from A to B; }');
 */
export function analyzeText(text: string, options: AnalyzeTextOptions = {}): AnalysisResult {
  const path = options.path ?? defaultTextPath(text);
  return analyzeFiles([path], memoryHost({ ...options.files, [path]: text }), options);
}

/** `a/b/C.scr` for a text with `module a.b.C;` (before any protocol), else `input.nuscr`. */
function defaultTextPath(text: string): string {
  const decl = parse(text).module.moduleDecl;
  return decl ? `${decl.name.parts.map((p) => p.text).join('/')}.scr` : 'input.nuscr';
}

/** Like {@link analyzeFiles}, for a program already loaded and checked. */
export function analyzeProgram(
  program: Program,
  staticDiagnostics: readonly Diagnostic[],
  options: AnalyzeOptions = {},
): AnalysisResult {
  const all: Diagnostic[] = [...staticDiagnostics];
  const protocols: ProtocolResult[] = [];
  const refs = selectProtocols(program, options, all);
  // Name errors leave the trees inconsistent: elaborate only programs that passed the checks.
  if (!staticDiagnostics.some((d) => d.severity === 'error')) {
    const keep = { local: options.keep?.local ?? true, efsm: options.keep?.efsm ?? true };
    for (const ref of refs) protocols.push(analyzeProtocol(program, ref, all, keep));
  }
  return { program, protocols, diagnostics: limitDiagnostics(dedupe(all)) };
}

/** A protocol of a root file with its path: `P`, or `Outer.P` for a nuScr nested protocol. */
export interface ProtocolEntry extends ProtocolRef {
  readonly path: string;
}

/**
 * Every protocol of the program's root files, nuScr nested ones included (they run as sessions
 * of their own: a call only invites their roles), each with its path.
 */
export function protocolEntries(program: Program): ProtocolEntry[] {
  const out: ProtocolEntry[] = [];
  const visit = (m: LoadedModule, decls: readonly ast.GlobalProtocol[], prefix: string): void => {
    for (const decl of decls) {
      const path = `${prefix}${decl.name.text}`;
      out.push({ module: m, decl, path });
      visit(m, decl.nestedProtocols, `${path}.`);
    }
  };
  for (const m of program.modules.filter((x) => x.root)) visit(m, m.module.protocols, '');
  return out;
}

/**
 * The protocols `name` selects: the one whose path is `name` (`P`, `Outer.P`), else every one
 * whose simple name is `name` (several nested protocols may share one: callers that need one
 * protocol should report the ambiguity).
 */
export function matchProtocols(entries: readonly ProtocolEntry[], name: string): ProtocolEntry[] {
  const exact = entries.filter((e) => e.path === name);
  return exact.length > 0 ? exact : entries.filter((e) => e.decl.name.text === name);
}

function selectProtocols(
  program: Program,
  options: AnalyzeOptions,
  out: Diagnostic[],
): ProtocolRef[] {
  const roots = program.modules.filter((m) => m.root);
  const entries = protocolEntries(program);
  const refs: ProtocolRef[] =
    options.protocol !== undefined
      ? matchProtocols(entries, options.protocol)
      : entries.filter((e) => !e.decl.aux);
  const first: LoadedModule | undefined = roots[0];
  if (options.protocol !== undefined && refs.length === 0 && first) {
    const names = entries.map((e) => `\`${e.path}\``);
    out.push(
      makeDiagnostic(
        first.module.file,
        'MPST211',
        `no protocol \`${options.protocol}\` here${names.length > 0 ? `; there is ${names.join(', ')}` : ''}`,
        { start: 0, end: 0 },
      ),
    );
  }
  return refs;
}

function analyzeProtocol(
  program: Program,
  ref: ProtocolRef,
  out: Diagnostic[],
  keep: { readonly local: boolean; readonly efsm: boolean },
): ProtocolResult {
  const { protocol, diagnostics } = elaborate(program, ref);
  out.push(...diagnostics);
  const base = { name: ref.decl.name.text, module: ref.module };
  if (!protocol)
    return {
      ...base,
      protocol: undefined,
      roles: ref.decl.roles.map((r) => ({ role: r.name.text, local: undefined, efsm: undefined })),
    };
  const mode = dialectOf(ref.module.module);
  out.push(...checkGuarded(protocol, mode === 'nuscr'));
  // The arrays of the last role's machine, reused for the next one.
  let scratch: EfsmCore | undefined;
  const roles: RoleResult[] = protocol.roles.map((role) => {
    const r = project(protocol, role, { mode });
    out.push(...r.diagnostics);
    // The machine as data (transition objects, labels) only if kept, or if it has epsilon
    // loops (their closure works on that data); else the check reads its arrays.
    const core = r.local && !keep.efsm ? buildEfsmCore(r.local, scratch) : undefined;
    scratch = core ?? scratch;
    const efsm = !r.local
      ? undefined
      : !core
        ? buildEfsm(protocol.qualifiedName, role, r.local)
        : core.loops.length > 0
          ? efsmOf(protocol.qualifiedName, role, core)
          : undefined;
    const mixed = efsm ? mixedState(efsm) : core ? mixedCoreState(core) : undefined;
    if (mixed) {
      // Reachable through an epsilon loop (a `continue` branch merged into a choice): the
      // role would have to send and wait at once, and its peers could not know which it does.
      // At the send, with a note at the receive (their source interactions), else the name.
      const at = mixed.sendOrigin ?? protocol.origin;
      const other = mixed.receiveOrigin;
      out.push(
        makeDiagnostic(
          at.file,
          'MPST210',
          `cannot project \`${protocol.name}\` onto role \`${role}\`: at one ` +
            `point \`${role}\` may both send (\`${mixed.send}\`) and receive ` +
            `(\`${mixed.receive}\`); a role other than the chooser must know which it does`,
          at.span,
          {
            notes: [
              ...(other
                ? [
                    {
                      message: `\`${role}\` may receive \`${mixed.receive}\` here instead`,
                      file: other.file,
                      span: other.span,
                    },
                  ]
                : []),
              ...inliningNotes(at),
            ],
          },
        ),
      );
      return { role, local: undefined, efsm: undefined };
    }
    return {
      role,
      local: keep.local ? r.local : undefined,
      efsm: keep.efsm ? efsm : undefined,
    };
  });
  return { ...base, protocol, roles };
}

/** A state that offers both an output and an input (mixed states are ill-formed). */
interface Mixed {
  /** The labels of a send and a receive it offers, and where they come from. */
  readonly send: string;
  readonly receive: string;
  readonly sendOrigin: Origin | undefined;
  readonly receiveOrigin: Origin | undefined;
}

/** A mixed state of `efsm`, if any. */
function mixedState(efsm: Efsm): Mixed | undefined {
  // One pass with a flag per state; the maps below (for the message) only when there is one.
  const flags = new Uint8Array(efsm.states.length);
  let mixed = false;
  for (const t of efsm.transitions) {
    const d = actionDirection(t.action);
    const f = d === 'output' ? 1 : d === 'input' ? 2 : 0;
    if ((flags[t.from] = (flags[t.from] ?? 0) | f) === 3) mixed = true;
  }
  if (!mixed) return undefined;
  const outs = new Map<number, number>();
  const ins = new Map<number, number>();
  efsm.transitions.forEach((t, i) => {
    const d = actionDirection(t.action);
    if (d === 'output') outs.set(t.from, i);
    else if (d === 'input') ins.set(t.from, i);
  });
  const origins = transitionOrigins(efsm);
  for (const [state, sendIndex] of outs) {
    const receiveIndex = ins.get(state);
    const send = efsm.transitions[sendIndex]?.label;
    const receive = receiveIndex === undefined ? undefined : efsm.transitions[receiveIndex]?.label;
    if (receiveIndex !== undefined && send !== undefined && receive !== undefined)
      return {
        send,
        receive,
        sendOrigin: origins?.[sendIndex],
        receiveOrigin: origins?.[receiveIndex],
      };
  }
  return undefined;
}

/**
 * A mixed state of a machine without epsilon loops, read from its arrays (no labels made).
 * Its transitions are grouped by source state in state order, and a state with one transition
 * is not mixed: only the actions of states with several are read (the same answer as
 * {@link mixedState}: the first such state, its last send and last receive).
 */
function mixedCoreState(core: EfsmCore): Mixed | undefined {
  const { from, branches, count } = core;
  for (let k = 0; k < count; ) {
    const state = from[k];
    let e = k + 1;
    while (e < count && from[e] === state) e++;
    if (e - k > 1) {
      let send: LBranch | undefined;
      let receive: LBranch | undefined;
      for (let i = k; i < e; i++) {
        const b = branches[i];
        const d = b ? actionDirection(b.action) : 'local';
        if (d === 'output') send = b;
        else if (d === 'input') receive = b;
      }
      if (send && receive)
        return {
          send: showAction(send.action),
          receive: showAction(receive.action),
          sendOrigin: send.origin,
          receiveOrigin: receive.origin,
        };
    }
    k = e;
  }
  return undefined;
}

/**
 * Unguarded recursion: `rec X` whose body can reach `continue X` through choices alone.
 * nuScr rejects a file with any such path (`Unguarded type variable`); scribble-java accepts
 * them and reads a loop that always spins as doing nothing (a warning here), and a branch that
 * spins as one the chooser can avoid (no diagnostic).
 */
function checkGuarded(p: ElaboratedProtocol, nuscr: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const g of recursionsOf(p)) {
    const v = unguardedVar(g.body, g.label, nuscr ? 'some' : 'every');
    if (v) {
      const o = v.origin ?? g.origin ?? p.origin;
      const always = nuscr ? unguardedVar(g.body, g.label, 'every') !== undefined : true;
      const what = always
        ? 'this loop does nothing'
        : 'the chooser could loop for ever without interacting (nuScr rejects an unguarded `continue`)';
      out.push(
        makeDiagnostic(
          o.file,
          'MPST206',
          `\`continue ${g.label}\` is reached without any interaction since \`rec ${g.label}\`: ${what}`,
          o.span,
          { severity: nuscr ? 'error' : 'warning' },
        ),
      );
    }
  }
  return out;
}

/**
 * A `continue label` reached from the head of `rec label` without any interaction: on `some`
 * path through the choices, or on `every` path (then the loop can only spin).
 */
function unguardedVar(
  g: GlobalType,
  label: string,
  paths: 'some' | 'every',
): Extract<GlobalType, { kind: 'var' }> | undefined {
  switch (g.kind) {
    case 'var':
      return g.label === label ? g : undefined;
    case 'rec':
      return unguardedVar(g.body, label, paths);
    case 'choice': {
      let first: Extract<GlobalType, { kind: 'var' }> | undefined;
      for (const b of g.branches) {
        const v = unguardedVar(b, label, paths);
        if (v && paths === 'some') return v;
        if (!v && paths === 'every') return undefined;
        first ??= v;
      }
      return first;
    }
    default:
      return undefined;
  }
}

function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code} ${d.span.file} ${String(d.span.start)} ${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The local protocol text of one role of an analysed protocol (empty if projection failed). */
export function printLocalProtocol(result: ProtocolResult, role: string): string {
  const r = result.roles.find((x) => x.role === role);
  return result.protocol && r?.local ? printLocal(result.protocol, role, r.local) : '';
}

/**
 * The local type of one role of an analysed protocol as data (`mpst project --format json`;
 * see {@link LocalTypeJson}), or undefined if projection failed.
 */
export function localProtocolJson(result: ProtocolResult, role: string): LocalTypeJson | undefined {
  const r = result.roles.find((x) => x.role === role);
  return result.protocol && r?.local ? localTypeToJson(result.protocol, role, r.local) : undefined;
}
