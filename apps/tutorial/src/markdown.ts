/**
 * The tutorial's prose, Markdown to HTML, safely: `marked` (CommonMark + GitHub tables) with
 * raw HTML shown as text (never injected), links limited to http(s), mailto, in-page and
 * relative targets, and images dropped to their alt text (the app loads nothing from
 * elsewhere). The prose is ours, but a contributed step must not be able to run script in a
 * learner's page either.
 */
import { Marked, type Tokens } from 'marked';

const SAFE_HREF = /^(?:https?:|mailto:|#|\.{0,2}\/|[\w.-]+(?:[/#?]|$))/i;

/** `&<>"'` as entities. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const label = this.parser.parseInline(tokens);
      // Decoding entities first: `&#106;avascript:` must not slip through.
      const target = decodeEntities(href).trim();
      if (!SAFE_HREF.test(target)) return label;
      const external = /^https?:/i.test(target);
      const t = title ? ` title="${escapeHtml(title)}"` : '';
      const rel = external ? ' rel="noopener noreferrer" target="_blank"' : '';
      return `<a href="${escapeHtml(target)}"${t}${rel}>${label}</a>`;
    },
    image({ text }: Tokens.Image): string {
      return escapeHtml(text);
    },
  },
});

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, n: string) => ENTITIES[n] ?? '');
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** Markdown to HTML that contains no element or attribute the Markdown did not ask for. */
export function renderMarkdown(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
