// What a user sees for garbage input: runs `mpst check` on seeded random 4 KB files and prints,
// for each, the exit code, the number of diagnostics printed and the bytes printed (stdout and
// stderr together). Run after `npm run build`:
//
//   node bench/garbage-input.mjs [--seed 1] [--size 4096]
//
// Two files per seed: uniformly random bytes (NUL bytes and invalid UTF-8 included: not a text
// file) and random ASCII 1-127 (text, but noise: it reaches the lexer and the parser).
// packages/scribble/test/garbage.test.ts pins the bounds on the same inputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomAscii, randomBytes } from '../packages/scribble/test/garbage-kit.mjs';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '1' }, size: { type: 'string', default: '4096' } },
});
const seed = Number(values.seed);
const size = Number(values.size);
const bin = fileURLToPath(new URL('../packages/cli/bin/mpst.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'mpst-garbage-'));
try {
  for (const [name, bytes] of [
    ['random-bytes', randomBytes(seed, size)],
    ['random-ascii', randomAscii(seed, size)],
  ]) {
    const file = path.join(dir, `${name}.scr`);
    writeFileSync(file, bytes);
    const r = spawnSync(process.execPath, [bin, 'check', file], {
      encoding: 'buffer',
      maxBuffer: 1 << 30,
    });
    const out = Buffer.concat([r.stdout, r.stderr]);
    const text = out.toString('latin1');
    const diagnostics = (text.match(/: (error|warning)\[MPST\d{3}\]/g) ?? []).length;
    // Raw control characters other than newline copied to the terminal (ESC, BEL, ...).
    const controls = (text.match(/[\x00-\x09\x0b-\x1f\x7f]/g) ?? []).length;
    console.log(
      `${name} seed ${String(seed)} size ${String(size)}: exit ${String(r.status)}, ` +
        `${String(diagnostics)} diagnostics, ${String(out.length)} bytes printed, ` +
        `${String(controls)} raw control characters`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
