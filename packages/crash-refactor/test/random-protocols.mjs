// Random reliable global protocols for the crash-refactor property test and
// bench/refactor-property.mjs: 3–5 roles, messages, choices (the chooser sends first in every
// branch, labels unique) and an optional top-level recursion whose choice loops in one branch.
// Many generated texts are not well-formed (a role may not learn a choice); callers keep the
// ones that check, project and verify with every role reliable.
import fc from 'fast-check';

/**
 * @typedef {{ kind: 'msg', from: number, to: number }
 *   | { kind: 'choice', at: number, to: number, branches: Stmt[][] }} Stmt
 */

/** @param {number} n roles @param {number} depth @returns {fc.Arbitrary<Stmt[]>} */
function block(n, depth) {
  const role = fc.integer({ min: 0, max: n - 1 });
  const pair = fc.tuple(role, role).filter(([a, b]) => a !== b);
  /** @type {fc.Arbitrary<Stmt>} */
  const msg = pair.map(([from, to]) => ({ kind: 'msg', from, to }));
  if (depth === 0) return fc.array(msg, { minLength: 1, maxLength: 3 });
  /** @type {fc.Arbitrary<Stmt>} */
  const choice = fc
    .tuple(pair, fc.array(block(n, depth - 1), { minLength: 2, maxLength: 2 }))
    .map(([[at, to], branches]) => ({ kind: 'choice', at, to, branches }));
  return fc.array(fc.oneof({ weight: 3, arbitrary: msg }, { weight: 1, arbitrary: choice }), {
    minLength: 1,
    maxLength: 3,
  });
}

/**
 * A random protocol: `{ text, roles }` (protocol `Rand`, roles `R0`..`R<n-1>`, nuScr dialect).
 * @returns {fc.Arbitrary<{ text: string, roles: string[] }>}
 */
export function randomProtocol() {
  return fc.integer({ min: 3, max: 5 }).chain((n) =>
    fc
      .record({
        body: block(n, 2),
        loop: fc.option(
          fc.record({
            at: fc.integer({ min: 0, max: n - 1 }),
            to: fc.integer({ min: 0, max: n - 2 }),
            again: block(n, 1),
            done: block(n, 1),
          }),
        ),
      })
      .map(({ body, loop }) => render(n, body, loop)),
  );
}

/** @param {number} n @param {Stmt[]} body @param {{at:number,to:number,again:Stmt[],done:Stmt[]}|null} loop */
function render(n, body, loop) {
  let label = 0;
  const roles = Array.from({ length: n }, (_, i) => `R${i}`);
  /** @param {Stmt[]} list @param {string} ind @returns {string} */
  const lines = (list, ind) =>
    list
      .map((s) => {
        if (s.kind === 'msg') return `${ind}m${label++}() from R${s.from} to R${s.to};\n`;
        const arms = s.branches.map(
          (b) => `${ind}  c${label++}() from R${s.at} to R${s.to};\n${lines(b, `${ind}  `)}`,
        );
        return `${ind}choice at R${s.at} {\n${arms.join(`${ind}} or {\n`)}${ind}}\n`;
      })
      .join('');
  let text = `global protocol Rand(${roles.map((r) => `role ${r}`).join(', ')}) {\n${lines(body, '  ')}`;
  if (loop) {
    const to = loop.to >= loop.at ? loop.to + 1 : loop.to;
    text +=
      `  rec X {\n    choice at R${loop.at} {\n      more${label++}() from R${loop.at} to R${to};\n` +
      `${lines(loop.again, '      ')}      continue X;\n    } or {\n` +
      `      stop${label++}() from R${loop.at} to R${to};\n${lines(loop.done, '      ')}    }\n  }\n`;
  }
  return { text: `${text}}\n`, roles };
}

/**
 * A random failure model for the roles: 1 to all of them unreliable.
 * @param {string[]} roles
 * @returns {fc.Arbitrary<{ unreliable: string[] }>}
 */
export function randomFailureModel(roles) {
  return fc.subarray(roles, { minLength: 1 }).map((unreliable) => ({ unreliable }));
}
