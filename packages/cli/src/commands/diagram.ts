import { efsmToState, globalToSequence } from '@mpst/mermaid';
import { findChromium, INSTALL_HINT } from '@mpst/mermaid/node';
import { walk, type GlobalType } from '@mpst/projector';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { ROLE_OPTION, SELECT_OPTIONS, selectProtocol, selectRole } from './select.js';

const DO_STYLES = ['expand', 'box', 'inline'] as const;

/**
 * `mpst diagram`: a Mermaid picture of a protocol. `--kind sequence` (the default without
 * `--role`): the global protocol as a sequence diagram (with `--role R`, R's interactions
 * highlighted); `--kind state` (the default with `--role`): R's state machine. Prints the
 * Mermaid text, or with `--svg OUT` renders it with Mermaid in headless Chromium.
 */
export function diagramCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...SELECT_OPTIONS,
      ...ROLE_OPTION,
      kind: { type: 'string' },
      svg: { type: 'string' },
      do: { type: 'string', default: 'expand' },
    },
  });
  const kind = values.kind ?? (values.role !== undefined ? 'state' : 'sequence');
  if (kind !== 'sequence' && kind !== 'state')
    throw new UsageError(`--kind must be 'sequence' or 'state', not '${kind}'`);
  const doCalls = DO_STYLES.find((s) => s === values.do);
  if (doCalls === undefined)
    throw new UsageError(`--do must be one of ${DO_STYLES.join(', ')}, not '${values.do}'`);
  if (values.svg === '') throw new UsageError('--svg needs a file name');
  // Checked before the protocol, so a missing browser is reported at once.
  if (values.svg !== undefined && findChromium() === undefined) {
    io.stderr(`mpst diagram: ${INSTALL_HINT}\n`);
    return EXIT.usage;
  }
  const request = {
    command: 'diagram',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
  };

  let text: string;
  let status: number;
  if (kind === 'state') {
    if (values.role === undefined)
      throw new UsageError("--kind state draws one role's state machine: give --role R");
    const sel = selectRole(io, { ...request, role: values.role });
    if (typeof sel === 'number') return sel;
    text = efsmToState(sel.efsm);
    status = sel.status;
  } else {
    const sel = selectProtocol(io, request);
    if (typeof sel === 'number') return sel;
    const role = values.role;
    if (role !== undefined && !sel.protocol.roles.includes(role)) {
      throw new UsageError(
        `protocol '${sel.protocol.name}' has no role '${role}'; its roles are ${sel.protocol.roles.join(', ')}`,
      );
    }
    text = globalToSequence(sel.protocol, {
      doCalls,
      ...(role !== undefined ? { highlight: involving(sel.protocol.body, role) } : {}),
    });
    status = sel.status;
  }

  if (values.svg === undefined) {
    io.stdout(text);
    return status;
  }
  const rendered = renderInChild(text);
  if (rendered.code !== 0) {
    io.stderr(`mpst diagram: ${rendered.stderr}`);
    return rendered.code === 1 ? EXIT.protocolErrors : EXIT.usage;
  }
  const failed = io.writeFile(values.svg, rendered.svg);
  if (failed !== undefined) {
    io.stderr(`mpst diagram: ${failed}\n`);
    return EXIT.usage;
  }
  return status;
}

/** The interactions `role` sends or receives (the chooser's choices too). */
function involving(body: GlobalType, role: string): Set<GlobalType> {
  const out = new Set<GlobalType>();
  walk(body, (g) => {
    if (
      (g.kind === 'message' ||
        g.kind === 'crash' ||
        g.kind === 'connect' ||
        g.kind === 'disconnect' ||
        g.kind === 'wrap') &&
      (g.from === role || g.to === role)
    )
      out.add(g);
    return undefined;
  });
  return out;
}

/**
 * Renders in a child Node process: the renderer (Playwright) is asynchronous and `main` is
 * synchronous, like every command. The child runs `renderSvgStdio` of `@mpst/mermaid/node`:
 * Mermaid text on stdin, SVG on stdout; exit 1 when Mermaid rejects the text, 2 when the
 * browser or the npm packages it needs are missing.
 */
export function renderInChild(text: string): { code: number; svg: string; stderr: string } {
  const entry = import.meta.resolve('@mpst/mermaid/node');
  const script = `const m = await import(${JSON.stringify(entry)}); process.exitCode = await m.renderSvgStdio();`;
  const r = spawnSync(process.execPath, ['--input-type=module', '--eval', script], {
    input: text,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.error)
    return { code: EXIT.usage, svg: '', stderr: `cannot start the renderer: ${r.error.message}\n` };
  return { code: r.status ?? EXIT.usage, svg: r.stdout, stderr: r.stderr };
}
