/**
 * The protocol editor: CodeMirror 6 with Scribble highlighting and the toolchain's diagnostics
 * as lint markers. One view for the page; one EditorState per step, so each step keeps its own
 * text and undo history while the learner moves between steps.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorState, Transaction } from '@codemirror/state';
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import type { Diagnostic } from '@mpst/scribble';
import { scribble } from './scribble-language.js';

/**
 * Called after every change of the text, synchronously (the caller schedules the check). `typedAt`: for
 * a change the learner made (typing, deleting, pasting, undoing), when the input event that made
 * it happened (`Event.timeStamp`, on `performance.now()`'s clock); undefined for a change made
 * by the page (reset, a refactoring put in the editor).
 */
export type ChangeListener = (text: string, typedAt: number | undefined) => void;

export class ProtocolEditor {
  readonly view: EditorView;
  private readonly states = new Map<string, EditorState>();
  private current = '';
  /** When the key being pressed (or the input event without one, e.g. a paste) happened. */
  private inputAt: number | undefined;

  constructor(
    parent: HTMLElement,
    private readonly onChange: ChangeListener,
  ) {
    this.view = new EditorView({ parent });
  }

  /** Shows step `key`'s text: the one edited earlier in this page, else `initial`. */
  open(key: string, initial: string): string {
    if (this.current !== '') this.states.set(this.current, this.view.state);
    this.current = key;
    this.view.setState(this.states.get(key) ?? this.create(initial));
    return this.view.state.doc.toString();
  }

  /** Replaces the current step's text by `text`, with a fresh undo history. */
  reset(text: string): void {
    this.view.setState(this.create(text));
    this.onChange(text, undefined);
  }

  /** Replaces the current step's text by `text` as one edit (the learner can undo it). */
  replace(text: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /** Shows the diagnostics of `file` as lint markers (others are about files not in the editor). */
  showDiagnostics(file: string, diagnostics: readonly Diagnostic[]): void {
    const length = this.view.state.doc.length;
    const clamp = (n: number): number => Math.max(0, Math.min(length, n));
    const marks: CmDiagnostic[] = diagnostics
      .filter((d) => d.span.file === file)
      .map((d) => {
        const from = clamp(d.span.start);
        return {
          from,
          to: Math.max(from, clamp(d.span.end)),
          severity: d.severity,
          source: d.code,
          message: [d.message, ...(d.notes ?? []).map((n) => `note: ${n.message}`)].join('\n'),
        };
      });
    this.view.dispatch(setDiagnostics(this.view.state, marks));
  }

  /** Moves the cursor to `offset` and focuses the editor (from the problems list). */
  focusAt(offset: number): void {
    const at = Math.max(0, Math.min(this.view.state.doc.length, offset));
    this.view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    this.view.focus();
  }

  private create(doc: string): EditorState {
    return EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        bracketMatching(),
        scribble,
        syntaxHighlighting(defaultHighlightStyle),
        lintGutter(),
        // Tab is not bound: it moves the focus out of the editor, as keyboard users expect.
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({ 'aria-label': 'Scribble protocol' }),
        // A keystroke's time is its keydown's; an input without a key down (a paste from the
        // menu, a drop) has its beforeinput's.
        EditorView.domEventHandlers({
          keydown: (e) => {
            this.inputAt = e.timeStamp;
            return false;
          },
          keyup: () => {
            this.inputAt = undefined;
            return false;
          },
          beforeinput: (e) => {
            this.inputAt ??= e.timeStamp;
            return false;
          },
        }),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          const typed = u.transactions.some(
            (t) => t.annotation(Transaction.userEvent) !== undefined,
          );
          const at = typed ? (this.inputAt ?? performance.now()) : undefined;
          this.inputAt = undefined;
          this.onChange(u.state.doc.toString(), at);
        }),
      ],
    });
  }
}
