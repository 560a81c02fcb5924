/** Help texts: every command explains itself and shows examples. */

export const MAIN_HELP = `mpst — multiparty session types for Scribble protocols

Usage: mpst <command> [options]

Commands:
  check FILE...        Check protocol files: syntax, names, modules and imports
  format FILE          Print a file in canonical layout (comments are kept)
  help [COMMAND]       Show help for a command

Options:
  -h, --help           Show help
  -v, --version        Show the version

Exit codes: 0 success, 1 protocol errors, 2 usage or I/O errors.

Examples:
  mpst check TwoBuyer.scr
  mpst check -I protocols protocols/app/Main.scr --format json
  mpst format --write Paxos.scr

Run 'mpst help <command>' for the options of a command.
`;

export const CHECK_HELP = `Usage: mpst check FILE... [-I DIR]... [--format text|json]

Checks Scribble protocol files (scribble-java, nuScr and Teatrino dialects) and every module
they import. Reports all syntax errors of each file, then name and module errors: undeclared
or duplicate roles and protocols, unbound 'continue', 'do' arity and argument kinds,
messages to self, unused roles, unknown data types and signatures, module names that do not
match the file, missing imports, import cycles and visibility.

Options:
  -I, --import-path DIR  Where 'import a.b.C;' looks for a/b/C.scr (repeatable). Without
                         it, the root is inferred from each file's 'module' declaration.
  --format text|json     Output format (default text). JSON has codes, spans and notes.
  --color / --no-color   Force colours on or off (default: on for a terminal).
  -h, --help             Show this help

Exit codes: 0 all files well-formed (warnings allowed), 1 some protocol has errors,
2 bad options or a file cannot be read.

Examples:
  mpst check TwoBuyer.scr
  mpst check -I src src/shop/Order.scr src/shop/Payment.scr
  mpst check Paxos.scr --format json | jq '.diagnostics[].message'
`;

export const FORMAT_HELP = `Usage: mpst format FILE... [--write | --check]

Prints each file in canonical Scribble layout: two-space indentation, one interaction per
line, '} or {' on the closing line. Comments are kept, and so is one blank line where the
source had blank lines. A file with syntax errors is never rewritten: its errors are shown.

Options:
  -w, --write          Rewrite the files in place instead of printing them
  --check              Print nothing; exit 1 if a file is not formatted (for CI)
  -h, --help           Show this help

Examples:
  mpst format Paxos.scr
  mpst format --write protocols/*.scr
  mpst format --check protocols/*.scr
`;
