import { efsmToState, globalToSequence } from '@mpst/mermaid';
import { findChromium, INSTALL_HINT } from '@mpst/mermaid/node';
import { walk, type GlobalType } from '@mpst/projector';
import { spawnSync } from 'node:child_process';
import { parseCommandArgs } from '../args.js';
import { EXIT, folderOf, UsageError, type CliIo } from '../io.js';
import { RENDERER_URL } from '../renderer.js';
import {
  projectedRoles,
  reportText,
  ROLE_OPTION,
  SELECT_OPTIONS,
  selectProtocol,
} from './select.js';

const DO_STYLES = ['expand', 'box', 'inline'] as const;

/**
 * `mpst diagram`: a Mermaid picture of a protocol. `--kind sequence` (the default without
 * `--role`): the global protocol as a sequence diagram (with `--role R`, R's interactions
 * highlighted); `--kind state` (the default with `--role`): R's state machine. Prints the
 * Mermaid text, or with `--svg OUT` renders it with Mermaid in headless Chromium.
 */
export function diagramCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    ...SELECT_OPTIONS,
    ...ROLE_OPTION,
    kind: { type: 'string' },
    svg: { type: 'string' },
    do: { type: 'string', default: 'expand' },
  });
  const kind = values.kind ?? (values.role !== undefined ? 'state' : 'sequence');
  if (kind !== 'sequence' && kind !== 'state')
    throw new UsageError(`--kind must be 'sequence' or 'state', not '${kind}'`);
  const doCalls = DO_STYLES.find((s) => s === values.do);
  if (doCalls === undefined)
    throw new UsageError(`--do must be one of ${DO_STYLES.join(', ')}, not '${values.do}'`);
  if (values.svg === '') throw new UsageError('--svg needs a file name');
  if (kind === 'state' && values.role === undefined)
    throw new UsageError("--kind state draws one role's state machine: give --role R");
  // Checked before the protocol and the rendering (seconds in a browser), so that a folder
  // that cannot be written, or a missing browser, is reported at once.
  if (values.svg !== undefined) {
    const notWritable = io.writableDir?.(folderOf(values.svg), false);
    if (notWritable !== undefined) {
      io.stderr(`mpst diagram: ${notWritable}\n`);
      return EXIT.usage;
    }
    if (findChromium() === undefined) {
      io.stderr(`mpst diagram: ${INSTALL_HINT}\n`);
      return EXIT.usage;
    }
  }
  const sel = selectProtocol(io, {
    command: 'diagram',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
  });

  let text: string;
  if (kind === 'state') {
    if (sel.kind !== 'selected' || sel.exit !== EXIT.ok) {
      reportText(io, sel);
      return sel.exit;
    }
    const [picked] = projectedRoles(sel, values.role);
    reportText(io, sel);
    if (!picked) return sel.exit;
    text = efsmToState(picked.efsm);
  } else {
    reportText(io, sel);
    if (sel.kind !== 'selected') return sel.exit;
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
  }

  if (values.svg === undefined) {
    io.stdout(text);
    return sel.exit;
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
  return sel.exit;
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
 * synchronous, like every command. The child runs `renderSvgStdio` of `@mpst/mermaid/node`
 * (through render-svg.js, a file of this package, so that the bundled CLI finds it too):
 * Mermaid text on stdin, SVG on stdout; exit 1 when Mermaid rejects the text, 2 when the
 * browser or the npm packages it needs are missing.
 */
export function renderInChild(text: string): { code: number; svg: string; stderr: string } {
  const entry = RENDERER_URL;
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
