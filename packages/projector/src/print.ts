import type { ElaboratedProtocol, GlobalType, Role } from './global.js';
import { showMessage } from './global.js';
import type { LocalType } from './local.js';

/**
 * Prints an elaborated protocol as valid Scribble (`mpst desugar`): `do` inlined, multicast
 * split, default communications shown as the crash branches they mean. A nuScr call is not
 * sugar (it starts another session): it prints as written, so a protocol that calls needs
 * the nested protocols it calls beside it to be checked again. The IR is a DAG;
 * shared continuations are printed once per path, as Scribble text is a tree.
 */
export function printGlobal(p: ElaboratedProtocol): string {
  const created = new Set(p.nested?.newRoles);
  const roles = p.roles
    .filter((r) => !created.has(r))
    .map((r) => `${p.reliable.has(r) ? 'reliable ' : ''}role ${r}`)
    .join(', ');
  const newRoles =
    created.size > 0 ? `; new ${[...created].map((r) => `role ${r}`).join(', ')}` : '';
  const kind = p.nested ? 'nested protocol' : 'global protocol';
  const out = [
    `${p.aux ? 'aux ' : ''}${p.explicit ? 'explicit ' : ''}${kind} ${p.name}(${roles}${newRoles}) {`,
  ];
  printGlobalBody(p.body, 1, out);
  out.push('}');
  return `${out.join('\n')}\n`;
}

function printGlobalBody(g: GlobalType, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  let cur = g;
  for (;;) {
    switch (cur.kind) {
      case 'end':
        return;
      case 'message': {
        const { call } = cur.message;
        if (call) {
          // The invitations of one call are consecutive and share their message: print the call.
          out.push(
            `${pad}${call.written === 'do' ? 'do' : `${call.caller} calls`} ` +
              `${call.protocol}(${call.roles.join(', ')});`,
          );
          const m = cur.message;
          while (cur.kind === 'message' && cur.message === m) cur = cur.cont;
          continue;
        }
        out.push(`${pad}${showMessage(cur.message)} from ${cur.from} to ${cur.to};`);
        cur = cur.cont;
        continue;
      }
      case 'crash':
        out.push(
          `${pad}crash from ${cur.from} to ${cur.to};${cur.fromDefault ? ' // default communication' : ''}`,
        );
        cur = cur.cont;
        continue;
      case 'connect':
        out.push(
          pad +
            (cur.message && cur.message.label + cur.message.payload.join('') !== ''
              ? `${showMessage(cur.message)} `
              : '') +
            'connect ' +
            `${cur.from} to ${cur.to};`,
        );
        cur = cur.cont;
        continue;
      case 'disconnect':
        out.push(`${pad}disconnect ${cur.from} and ${cur.to};`);
        cur = cur.cont;
        continue;
      case 'wrap':
        out.push(`${pad}wrap ${cur.from} to ${cur.to};`);
        cur = cur.cont;
        continue;
      case 'var':
        out.push(`${pad}continue ${cur.label};`);
        return;
      case 'rec':
        out.push(`${pad}rec ${cur.label} {`);
        printGlobalBody(cur.body, depth + 1, out);
        out.push(`${pad}}`);
        return;
      case 'seq':
        out.push(
          `${pad}// the roles of this part never leave it: ${[...cur.firstRoles].join(', ')}`,
        );
        printGlobalBody(cur.first, depth, out);
        out.push(`${pad}// the other roles go on here`);
        cur = cur.then;
        continue;
      case 'choice': {
        const c = cur;
        c.branches.forEach((b, i) => {
          out.push(
            i === 0
              ? `${pad}choice at ${c.at} {`
              : `${pad}} or {${i === c.defaultBranch ? ' // default' : ''}`,
          );
          printGlobalBody(b, depth + 1, out);
        });
        out.push(`${pad}}`);
        return;
      }
    }
  }
}

/**
 * Prints a local type in Scribble local syntax:
 * `local protocol P_R at R(role A, self R) { m(T) to A; ... }`. Crash detection prints as
 * `crash from A;`.
 */
export function printLocal(p: ElaboratedProtocol, role: Role, local: LocalType): string {
  const roles = p.roles.map((r) => (r === role ? `self ${r}` : `role ${r}`)).join(', ');
  const out = [`local protocol ${p.name}_${role} at ${role}(${roles}) {`];
  printLocalBody(local, role, 1, out);
  out.push('}');
  return `${out.join('\n')}\n`;
}

function printLocalBody(l: LocalType, self: Role, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  let cur = l;
  for (;;) {
    switch (cur.kind) {
      case 'end':
        return;
      case 'var':
        out.push(`${pad}continue ${cur.label};`);
        return;
      case 'rec':
        out.push(`${pad}rec ${cur.label} {`);
        printLocalBody(cur.body, self, depth + 1, out);
        out.push(`${pad}}`);
        return;
      case 'prefix':
        out.push(pad + localAction(cur.action));
        cur = cur.cont;
        continue;
      case 'choice': {
        // (Projection builds a one-branch choice only with loops; others may build one.)
        const only = cur.branches.length === 1 && !cur.loops ? cur.branches[0] : undefined;
        if (only) {
          out.push(pad + localAction(only.action));
          cur = only.cont;
          continue;
        }
        const first = cur.branches[0]?.action;
        const at =
          first && (first.kind === 'send' || first.kind === 'request')
            ? 'self'
            : (first?.peer ?? 'self');
        cur.branches.forEach((b, i) => {
          out.push(i === 0 ? `${pad}choice at ${at} {` : `${pad}} or {`);
          out.push(`${pad}  ${localAction(b.action)}`);
          printLocalBody(b.cont, self, depth + 1, out);
        });
        for (const label of cur.loops ?? []) {
          out.push(
            cur.branches.length === 0 && label === cur.loops?.[0] ? `${pad}{` : `${pad}} or {`,
          );
          out.push(`${pad}  continue ${label};`);
        }
        out.push(`${pad}}`);
        return;
      }
    }
  }
}

function localAction(a: Parameters<typeof import('./project.js').showAction>[0]): string {
  switch (a.kind) {
    case 'send':
      return `${showMessage(a.message)} to ${a.peer};`;
    case 'receive':
      return `${showMessage(a.message)} from ${a.peer};`;
    case 'request':
      return `request ${a.peer};`;
    case 'accept':
      return `accept ${a.peer};`;
    case 'disconnect':
      return `disconnect ${a.peer};`;
    case 'crash':
      return `crash from ${a.peer};`;
    case 'wrap-client':
      return `wrap to ${a.peer};`;
    case 'wrap-server':
      return `wrap from ${a.peer};`;
  }
}
