/** Help texts: every command explains itself and shows examples. */

export const MAIN_HELP = `mpst — multiparty session types for Scribble protocols

Usage: mpst <command> [options]

Commands:
  check FILE...        Check protocol files: syntax, names, imports, well-formedness,
                       projection onto every role, model checking (as scribble-java)
  desugar FILE         Print a protocol with 'do' inlined and multicasts split
  project FILE         Print the local protocol of every role, or of one (--role R)
  fsm FILE             Print the state machine of every role, or of one (--role R), as
                       Graphviz dot or JSON
  diagram FILE         Draw a protocol (sequence diagram) or a role's state machine as
                       Mermaid text, or as SVG rendered in headless Chromium (--svg OUT)
  format FILE          Print a file in canonical layout (comments are kept)
  verify FILE          Model-check a protocol: safety (no stuck receptions, orphan
                       messages, deadlocks, unfinished roles), progress and eventual
                       reception, in every crash (and link failure) scenario
  codegen FILE         Generate a typed TypeScript module per role (--out DIR), whose
                       protocol violations do not compile; runs on @mpst/runtime
  refactor FILE        Make a protocol tolerate crashes of --unreliable roles (and failed
                       links): a reviewable plan, source edits, verified in crash mode
  help [COMMAND]       Show help for a command

Options:
  -h, --help           Show help
  -v, --version        Show the version

Exit codes: 0 success, 1 protocol errors, 2 usage or I/O errors.

Examples:
  mpst check TwoBuyer.scr
  mpst check -I protocols protocols/app/Main.scr --format json
  mpst project TwoBuyer.scr --role Seller
  mpst fsm TwoBuyer.scr --role Seller | dot -Tsvg > Seller.svg
  mpst fsm TwoBuyer.scr --out fsm/ && dot -Tsvg -O fsm/*.dot
  mpst diagram Paxos.scr --svg Paxos.svg
  mpst format --write Paxos.scr
  mpst verify Paxos.scr --bound 3

Run 'mpst help <command>' for the options of a command.
`;

export const CHECK_HELP = `Usage: mpst check FILE... [-I DIR]... [--format text|json] [--no-verify] [--fair]
       [--max-states N]

Checks Scribble protocol files (scribble-java, nuScr and Teatrino dialects) and every module
they import. Reports all syntax errors of each file, then name and module errors: undeclared
or duplicate roles and protocols, unbound 'continue', 'do' arity and argument kinds,
messages to self, unused roles, unknown data types and signatures, module names that do not
match the file, missing imports, import cycles and visibility.

A file without such errors is then elaborated and projected: every global protocol of the
given files that is not 'aux' (and every nuScr nested protocol, a session of its own) has its
'do' calls inlined, is checked for well-formedness
(choices the other roles can follow, guarded recursion, crash handling) and is projected
onto every role. Each error points at the interaction that causes it.

Unless --no-verify, each protocol is then model-checked as scribble-java does it (queues
holding one message; see 'mpst help verify'): safety, role progress and eventual reception,
under fair and (unless --fair) unfair output choice. A violation is an error MPST300-MPST305
at the interaction concerned, with the counterexample as notes. A model larger than
--max-states is only a warning (MPST306) and the exit code stays 0: that protocol was not
fully verified (use 'mpst verify', which exits 3 then, to gate on it). Long model checks
print progress lines on stderr.

Options:
  -I, --import-path DIR  Where 'import a.b.C;' looks for a/b/C.scr (repeatable). Without
                         it, the root is inferred from each file's 'module' declaration.
  --format text|json     Output format (default text). JSON has codes, spans and notes.
  --color / --no-color   Force colours on or off (default: on for a terminal).
  --no-verify            Skip model checking
  --fair                 Assume fair output choice in the progress checks (scribble-java
                         -fair): a loop that starves a role only if a choice always picks
                         the same branch is then accepted
  --max-states N         Explore at most N configurations per protocol (default 1000000)
  -h, --help             Show this help

A file that declares no global protocol gets a warning (MPST125): nothing in it was projected
or verified.

Exit codes: 0 all files well-formed (warnings allowed), 1 some protocol has errors,
2 bad options or a file cannot be read (the files that can be read are still checked).

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
  --check              Print only the files that are not formatted, each with a short diff
                       of what would change (at most 12 lines); exit 1 if any (for CI)
  -h, --help           Show this help

Examples:
  mpst format Paxos.scr
  mpst format --write protocols/*.scr
  mpst format --check protocols/*.scr
`;

/** The options `desugar`, `project` and `fsm` share (see commands/select.ts). */
const SELECT_HELP = `  -p, --protocol P       The protocol to use (its simple or module-qualified name; a
                         nuScr nested protocol too). May be omitted when FILE has
                         exactly one global protocol that is not 'aux'.
  -I, --import-path DIR  Where 'import a.b.C;' looks for a/b/C.scr (repeatable)`;

const SELECT_EXIT = `Exit codes: 0 success; 1 FILE has errors (printed on stderr with their positions);
2 bad options, an unknown or ambiguous protocol or role, or FILE cannot be read.`;

export const DESUGAR_HELP = `Usage: mpst desugar FILE [--protocol P] [-I DIR]...

Prints a global protocol as the projector sees it, as valid Scribble: 'do' calls inlined
(a recursive 'do' becomes 'rec'/'continue'), multicasts 'm() from A to B, C;' split into
one message per receiver, 'foreach' unrolled, default communications shown as the crash
branches they stand for. Useful to understand an error that points into an inlined protocol.
A nuScr call of a nested protocol ('A calls P(...)', or 'do' under the NestedProtocols
pragma, which is printed too) is not sugar but the start of another session: it is printed as
written, so the text needs the protocols it calls beside it ('--protocol P' prints each).

When the protocol elaborates but is not well-formed or cannot be projected onto some role,
the desugared text is still printed; the errors go to stderr and the exit code is 1.

Options:
${SELECT_HELP}
  -h, --help             Show this help

${SELECT_EXIT}

Examples:
  mpst desugar TwoBuyer.scr
  mpst desugar Paxos.scr --protocol Round
  mpst desugar -I protocols protocols/app/Main.scr --protocol app.Main.Shop
`;

export const PROJECT_HELP = `Usage: mpst project FILE [--role R] [--format text|json] [--out DIR] [--protocol P]
       [-I DIR]...

Prints the local protocol of role R, or of every role (in declaration order, separated by
a blank line) without --role: what the role sends and receives, in Scribble's local syntax
('m(T) to B;', 'm(T) from A;', 'crash from A;' when A may crash). The protocol must be
well-formed: if any role cannot be projected, its errors are printed and nothing else.

Options:
  -r, --role R           The role to project onto (default: every role)
  -o, --out DIR          Write one file per role, DIR/<protocol>_<role>.scr (DIR is made
                         when missing), instead of printing
${SELECT_HELP}
  --format text|json     text (default): Scribble local syntax. json: { protocol, role, roles,
                         root, nodes }, the local type's nodes by id (shared continuations
                         once), described by @mpst/projector's schema/local-type.schema.json;
                         without --role, an array of them (one per role).
  -h, --help             Show this help

${SELECT_EXIT}

Examples:
  mpst project TwoBuyer.scr --role Seller
  mpst project TwoBuyer.scr --out local/
  mpst project Paxos.scr --protocol Round --role Acceptor
`;

export const FSM_HELP = `Usage: mpst fsm FILE [--role R] [--out DIR] [--protocol P] [--format dot|json] [-I DIR]...

Prints the endpoint state machine (EFSM) of role R, or of every role without --role (dot:
one digraph per role, each after a '// P, role R' comment; json: an array of EFSMs). States are numbered from 0 in
breadth-first order from the initial state. Edge labels are actions, as scribble-java
prints them ('B!m(T)' send to B, 'A?m(T)' receive from A), plus 'A?crash' for detecting
that A crashed. The protocol must be well-formed, as for 'mpst project'.

Options:
  -r, --role R           The role whose machine to print (default: every role)
  -o, --out DIR          Write one file per role, DIR/<protocol>_<role>.dot (or .json)
${SELECT_HELP}
  --format dot|json      dot (default): Graphviz, final state drawn double.
                         json: { protocol, role, initial, states, transitions }, described
                         by the JSON Schema in @mpst/projector's schema/efsm.schema.json.
  -h, --help             Show this help

${SELECT_EXIT}

Examples:
  mpst fsm TwoBuyer.scr --role Seller | dot -Tsvg > Seller.svg
  mpst fsm TwoBuyer.scr --out fsm/ && dot -Tsvg -O fsm/*.dot
  mpst fsm Paxos.scr --protocol Round --role Acceptor --format json
  mpst fsm TwoBuyer.scr --role Buyer1 --format json | jq '.transitions[].label'
`;

export const VERIFY_HELP = `Usage: mpst verify FILE [--protocol P] [--properties LIST] [--fair]
       [--capacity K] [--bound K] [--unreliable-link A->B]... [--max-states N]
       [--format text|json] [-I DIR]...

Model-checks a global protocol: projects it onto every role (as 'mpst fsm' does) and explores
every configuration of the role state machines communicating through asynchronous FIFO
queues (one per ordered pair of roles): depth first with partial-order reduction where it
applies (queues of --capacity K, no --bound, no unreliable link), else breadth first; a
violation found with reduction is searched again breadth first for a shortest trace.
Safety is checked in each
configuration: no stuck reception (a role receives a message it does not expect), no orphan
message (a role finished with a message still queued for it), no deadlock and no unfinished
role. In a crash-stop protocol (one with 'reliable' roles, 'crash' branches or defaults),
every role not declared reliable may crash at any point: messages to it are lost, its
receivers take their crash branch.

Progress is checked on the terminal sets of the state graph (the sets of configurations a
run can never leave once no more crashes or link failures happen, so every crash scenario
is checked, "nobody crashes" included): every live role that has not finished must act in
them (role progress) and every queued message must be received in them (eventual
reception). By
default this also holds under unfair output choice, as in scribble-java: a choice inside a
loop may always pick the same branch, so a loop that starves a role is a violation.

A violation is shown with a shortest trace (for progress, followed by the cycle that repeats
for ever) and the same trace as a Mermaid sequenceDiagram. Long runs print a progress line
on stderr every 250,000 states.

Options:
${SELECT_HELP}
  --properties LIST      Comma-separated: safety, progress, reception (default: all).
  --fair                 Fair output choice only (scribble-java -fair).
  --capacity K           Each queue holds at most K messages; a send to a full queue waits
                         (scribble-java's model is --capacity 1, as 'mpst check' uses).
  -k, --bound K          At most K >= 1 messages per queue. Sends beyond it are not explored,
                         and the verdict is then "inconclusive beyond bound K" unless a
                         violation is found. Default: unbounded, verified for every
                         queue length when the system is k-exhaustive for some k <= 4
                         (else queues longer than 64 messages are not explored:
                         inconclusive).
  --unreliable-link A->B The link from role A to role B (two different roles) may fail at
                         any time (repeatable, each link once): later messages on it are
                         lost, and B takes its crash branch for A as if A had crashed,
                         while A lives on.
  --max-states N         Stop after N states (default 1000000): verdict inconclusive.
  --format text|json     text (default), or the result as JSON: verdict, states,
                         transitions, violations with their traces (and each as
                         Mermaid text, 'mermaid'); with options the protocol
                         cannot have (e.g. a link to an unknown role), verdict
                         'invalid' and coded errors in 'invalid'. When FILE has
                         errors or cannot be read, its diagnostics as JSON (as
                         'mpst check --format json').
  -h, --help             Show this help

Exit codes: 0 verified; 1 a violation, or FILE has errors; 2 bad options, an unknown
protocol, or FILE cannot be read; 3 inconclusive (bound or --max-states reached).

Examples:
  mpst verify TwoBuyer.scr
  mpst verify Paxos.scr --protocol Paxos --bound 2
  mpst verify Loop.scr --capacity 1 --properties safety,progress --fair
  mpst verify Logger.nuscr --unreliable-link C->S --capacity 1
  mpst verify Logger.nuscr --bound 3 --format json | jq '.violations[0].trace'
`;

export const DIAGRAM_HELP = `Usage: mpst diagram FILE [--protocol P] [--role R] [--kind sequence|state]
       [--svg OUT] [-I DIR]...

Draws a protocol as Mermaid (https://mermaid.js.org) text, ready for Markdown, or as SVG.

  --kind sequence   the global protocol as a sequence diagram: participants in declaration
                    order (reliable roles marked), messages with payload types, 'alt' for a
                    choice (labelled with the chooser; 'or default' marks a default branch),
                    'critical'/'option' for crash handling, 'loop' for 'rec', notes for
                    'continue', a box for each 'do' call. With --role R, R's interactions
                    are highlighted. This is the default without --role.
  --kind state      role R's state machine (as 'mpst fsm'): sends 'B!m(T)', receives
                    'A?m(T)', crash detection 'A?crash' in red. The default with --role.

The sequence diagram needs the protocol to elaborate (as 'mpst desugar'); the state diagram
needs it to be well-formed (as 'mpst fsm').

Options:
  -r, --role R           The role (state diagrams; highlighted in sequence diagrams)
  --kind sequence|state  What to draw (see above)
  --do expand|box|inline How 'do' calls are drawn: their interactions in a named box
                         (default), only the named box, or their interactions unboxed
  --svg OUT              Render with Mermaid in headless Chromium and write the SVG to OUT
                         instead of printing the text. Needs /usr/bin/chromium (Debian:
                         sudo apt-get install chromium; or set MPST_CHROMIUM to a Chromium
                         or Chrome executable) and the npm packages playwright-core and
                         mermaid; nothing is downloaded.
${SELECT_HELP}
  -h, --help             Show this help

Exit codes: 0 success; 1 FILE has errors (printed on stderr), or Mermaid rejected the
diagram; 2 bad options, an unknown protocol or role, FILE cannot be read, or no browser
for --svg.

Examples:
  mpst diagram Paxos.scr > Paxos.mmd
  mpst diagram Paxos.scr --protocol Round --do box
  mpst diagram Paxos.scr --role A1 --svg A1.svg
  mpst diagram Paxos.scr --kind sequence --role A1 --svg Paxos-A1.svg
`;

export const CODEGEN_HELP = `Usage: mpst codegen FILE --out DIR [--protocol P] [--role R]... [--check]
       [--config F] [-I DIR]...

Generates one TypeScript module per role, DIR/<Protocol>.<Role>.ts, with one type and one
factory per state of the role's state machine: the TypeScript compiler rejects a label the
state does not allow, a wrong payload, a receive without a handler for every branch (and for
the crash of a peer that may crash), and a step out of order. Each module embeds the role's
EndpointSpec and a run(endpoint, start) function for @mpst/runtime (docs/codegen.md).

Payload types: Int/int -> number, String/string -> string, Bool/bool -> boolean,
'type <ts> "T" from "M" as N;' declarations, plain java.lang types; any other name must be
mapped in mpst.config.json ({ "types": { "Value": "string" } }), looked for beside FILE and
in the working directory, else it is an error (MPST500).

Options:
  -o, --out DIR          Where the modules go (created if needed; required)
  -r, --role R           Only this role (repeatable; default every role)
  -p, --protocol P       Only this protocol (default: every protocol of FILE that is not aux)
  -I, --import-path DIR  Where 'import a.b.C;' looks for a/b/C.scr (repeatable)
  --check                Write nothing; exit 1 when a module in DIR is missing or differs
                         from what would be generated (for CI)
  --config F             The mpst.config.json to use
  -h, --help             Show this help

Exit codes: 0 generated (or up to date), 1 protocol or generation errors (or --check found
stale modules), 2 usage or I/O errors.

Examples:
  mpst codegen Paxos.scr --protocol Paxos --out src/generated
  mpst codegen Paxos.scr --protocol Paxos --role A1 --out src/generated
  mpst codegen Paxos.scr --protocol Paxos --out src/generated --check
`;

export const REFACTOR_HELP = `Usage: mpst refactor FILE --unreliable A1,A2 [--unreliable-link A->B]... [--protocol P]
       [--plan plan.json | --apply plan.json] [-o FILE | --write | --dry-run] [--svg DIR]
       [--mmd DIR] [--code ROLE.ts]... [--config mpst.config.json] [-i] [--backup A=B]...

Makes a protocol that verifies with every role reliable tolerate the failure model: the listed
roles may crash, the listed links may fail (the receiver then treats the sender as crashed).
Role declarations are edited ('reliable' added or removed); every point where a live role could
wait forever on a failed one (projection's MPST207 points) gets handling, best option first:
a default communication (an existing branch becomes 'or default', or 'm() from A to B default;'),
a crash branch in which the detecting role notifies every other role of the choice and ends
(or goes round the enclosing 'rec' again), fail over to a backup role (it answers in the
crashed role's place), go on without the crashed role (a quorum among its peers). Each option
must project; the result is verified
(scribble-java's model, with the same failure model) and other options are tried when it does
not verify. Only when no plan that merely adds handling verifies, a second pass adds one more
option, ranked last, that changes failure-free runs: a role that learns a choice only through
the crashed role handles the crash the same way in every branch, and a role that would then not
know whether it ended normally is told 'done()'. Such a decision's option starts with 'changes
failure-free runs:' in the plan, the prompt and the report: review it.
Edits are source-level: comments and untouched text stay byte-identical.

Options:
  --unreliable LIST        Comma-separated roles that may crash.
  --unreliable-link A->B   A link that may fail (repeatable).
  --protocol P             The protocol (default: the file's only non-aux global protocol).
  --plan FILE              Write the plan as JSON (per decision: location, options, the chosen
                           one and why, counterexamples) instead of the protocol.
  --apply FILE             Apply a reviewed plan (edit 'chosen' to pick another option); a plan
                           made for another version of the file is an error (MPST405).
  -o, --output FILE        Write the refactored protocol there (default: stdout).
  --write                  Rewrite FILE in place, after copying it to FILE.bak.
  --svg DIR                Render the before/after sequence diagrams as DIR/P.before.svg and
                           DIR/P.after.svg (headless Chromium; DIR is made when missing).
  --mmd DIR                Write the same diagrams as Mermaid text: DIR/P.before.mmd and
                           DIR/P.after.mmd (DIR is made when missing).
  --code FILE              Role code written on the API 'mpst codegen' generated for FILE
                           (repeatable; the role is the generated module it imports): adapted
                           to the refactored protocol's API. States are renamed, and every
                           handle({...}) that the new API asks for more gets it: a crash or
                           notice handler going on by rule (End; a payload-free notice, then
                           on; a step of the target state named in scope) and 'defaults' with
                           the zero value of each payload type (0, '', false, []). Only
                           insertions and renames: your code stays as written. What no rule
                           covers is an error (MPST410-MPST415) at the place in the code, and
                           that file is left unchanged. The unified diff goes to the report;
                           with --write or -o the file is rewritten in place (backup
                           FILE.bak). Regenerate the API with 'mpst codegen' afterwards.
  --config FILE            Payload type mapping for the APIs (default: mpst.config.json).
  --dry-run                Write nothing; print the unified diffs of the protocol and of the
                           role code on stdout.
  -i, --interactive        Ask at each decision point which option to take (where it is, the
                           problem, the ranked options with the planner's choice; Enter takes
                           it). Needs a terminal on stdin. Not the default on a terminal: the
                           same command line must do the same thing in a terminal, a script
                           and CI. With --plan, the answers go into the plan.
  --backup A=B             Role B takes over A's part when A crashes (repeatable); without it
                           failover is offered to a reliable role with A's interface.

The report (decisions, verdict, MPST4xx diagnostics, before/after Mermaid diagrams with the
additions highlighted) goes to stderr. Exit 0 when the result verifies, 1 when it does not.

Examples:
  mpst refactor Paxos.scr --unreliable A1,A2,A3 -o PaxosCrash.scr
  mpst refactor Paxos.scr --unreliable A1,A2,A3 --plan plan.json
  mpst refactor Paxos.scr --unreliable A1,A2,A3 --interactive -o PaxosCrash.scr
  mpst refactor Paxos.scr --apply plan.json --write
  mpst refactor Paxos.scr --apply plan.json --code src/proposer.ts --dry-run
`;
