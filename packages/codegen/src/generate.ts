import { sortDiagnostics, type Diagnostic } from '@mpst/scribble';
import { protocolEntries, type AnalysisResult, type ProtocolResult } from '@mpst/projector';
import { emitModule } from './emit.js';
import { identifier } from './identifiers.js';
import { roleModel } from './model.js';
import { TypeResolver } from './types.js';

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Payload type name → TypeScript type text (`mpst.config.json`'s `types`); wins over declarations. */
  readonly types?: Readonly<Record<string, string>>;
  /** Only these roles (default: every role). */
  readonly roles?: readonly string[];
}

/** One generated module. */
export interface GeneratedFile {
  /** The protocol's simple name. */
  readonly protocol: string;
  readonly role: string;
  /**
   * A file name for it: `<Protocol>.<Role>.ts`; for nested protocols that share their name with
   * another analysed protocol, `<Outer>_<Protocol>.<Role>.ts` (their path).
   */
  readonly fileName: string;
  readonly text: string;
  /** The number of states of the role's EFSM. */
  readonly states: number;
}

export interface GenerateResult {
  readonly files: readonly GeneratedFile[];
  /** MPST500–MPST504; a role with errors gets no file. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Generates one TypeScript module per role of every analysed protocol (a pure function: no I/O,
 * runs in browsers). Protocols that failed analysis are skipped: their errors are in
 * `analysis.diagnostics` already.
 */
export function generate(analysis: AnalysisResult, options: GenerateOptions = {}): GenerateResult {
  const files: GeneratedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const types = new TypeResolver(analysis.program, { config: options.types ?? {} });
  const paths = protocolPaths(analysis);
  for (const p of analysis.protocols) {
    if (!p.protocol) continue;
    for (const r of p.roles) {
      if (options.roles && !options.roles.includes(r.role)) continue;
      const file = generateRole(p, paths.get(p) ?? p.name, r.role, types, diagnostics);
      if (file) files.push(file);
    }
  }
  return { files, diagnostics: sortDiagnostics(dedupe(diagnostics)) };
}

/**
 * What names each protocol's modules: its simple name, unless several analysed protocols share
 * it (nuScr nested protocols may shadow one another), then its path (`Outer.P`), so that no two
 * modules get one file name.
 */
function protocolPaths(analysis: AnalysisResult): Map<ProtocolResult, string> {
  const out = new Map<ProtocolResult, string>();
  const shared = analysis.protocols.filter((p) =>
    analysis.protocols.some((q) => q !== p && q.name === p.name),
  );
  if (shared.length === 0) return out;
  const entries = protocolEntries(analysis.program);
  for (const p of shared) {
    const at = p.protocol?.origin.span.start;
    const entry = entries.find((e) => e.module === p.module && e.decl.name.span.start === at);
    if (entry) out.set(p, entry.path);
  }
  return out;
}

function generateRole(
  p: ProtocolResult,
  protocolPath: string,
  role: string,
  types: TypeResolver,
  out: Diagnostic[],
): GeneratedFile | undefined {
  const model = roleModel(p, role, types, out);
  if (!model) return undefined;
  const source = p.module.path.split(/[\\/]/).pop() ?? p.module.path;
  const text = emitModule(model, { source, protocolPath });
  return {
    protocol: p.name,
    role,
    fileName: `${identifier(protocolPath)}.${identifier(role)}.ts`,
    text,
    states: model.efsm.states.length,
  };
}

/** One diagnostic per message and place: an unmapped type shared by two roles is one error. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code} ${d.span.file} ${String(d.span.start)} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
