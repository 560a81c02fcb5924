/**
 * Escaping for Mermaid text (checked with Mermaid 11: a raw `;` in a message ends the
 * statement, and a participant or state id `end` ends a block). Mermaid reads `#name;` / `#123;` as an entity
 * code before it parses anything, so every character that its lexers treat specially is
 * written as a numeric entity: the text then parses the same whatever the protocol calls its
 * roles, labels and types (`end`, `a;b`, `#x`, `1st`, `x: Int{x > 0}`, `Proto@Role`).
 */

/**
 * Characters written as `#NN;` in any text: `;` ends a statement, `#` starts a comment or an
 * entity, `%` a `%%` comment or directive, `<`/`>` would be read as HTML tags, `&` as an HTML
 * entity. Everything else is safe in sequence-diagram message, note and block text.
 */
const TEXT = /[;#%<>&]/g;
/** In a participant alias (`participant r_A as A`) also `:`, `,` and `@` (its lexer stops there). */
const ALIAS = /[;#%<>&:,@]/g;
/** In state diagrams also `:` (`::` ends a transition label) and `"` (quotes state names). */
const STATE = /[;#%<>&:"]/g;

function escape(s: string, special: RegExp): string {
  // Line breaks would end the statement: a label is one line.
  return s.replace(/\r\n?|\n/g, ' ').replace(special, (c) => `#${String(c.charCodeAt(0))};`);
}

/** Text for a sequence-diagram message, note or block label. */
export function text(s: string): string {
  return escape(s, TEXT);
}

/** Text for a participant alias. */
export function aliasText(s: string): string {
  return escape(s, ALIAS);
}

/** Text for a state-diagram transition label or state name. */
export function stateText(s: string): string {
  return escape(s, STATE);
}

/**
 * A participant or state id: letters, digits and `_` only, behind a prefix so it can never be a
 * keyword (`end`, `loop`, `note`), start with a digit, or contain an arrow (`-x`, `->>`).
 * `prefix_name` when the name is already such a word; otherwise `prefix<index>_` and the name
 * with other characters dropped (the index keeps the ids apart).
 */
export function identifier(prefix: string, name: string, index: number): string {
  if (/^[A-Za-z0-9_]+$/.test(name)) return `${prefix}_${name}`;
  return `${prefix}${String(index)}_${name.replace(/[^A-Za-z0-9_]/g, '')}`;
}

/** The participant ids of a list of roles (in their order), by role name. */
export function participantIds(roles: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  roles.forEach((r, i) => {
    if (!ids.has(r)) ids.set(r, identifier('r', r, i));
  });
  return ids;
}

/** Formats a time in milliseconds for a label: `12 ms`, `1.25 ms`, `0.004 ms`. */
export function formatMs(ms: number): string {
  const abs = Math.abs(ms);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 3;
  return `${ms
    .toFixed(digits)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '')} ms`;
}

/**
 * YAML front matter with a diagram title. Mermaid reads it before decoding entity codes, so
 * the title is written raw, as a JSON string (which is a valid YAML double-quoted scalar).
 */
export function frontMatter(title: string): string[] {
  return ['---', `title: ${JSON.stringify(title.replace(/\r\n?|\n/g, ' '))}`, '---'];
}
