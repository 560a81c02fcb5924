/// <reference types="node" />
/**
 * Node-only: renders Mermaid text to SVG with the real Mermaid in a real headless Chromium
 * (Mermaid needs a browser for text measurement and layout; jsdom is not enough). The
 * browser is the system's (Debian's `chromium`, driven by `playwright-core`): nothing is
 * downloaded, and Mermaid is loaded from `node_modules/mermaid/dist/mermaid.min.js` on disk,
 * so rendering works offline. `mermaid` and `playwright-core` are optional peer dependencies:
 * only this entry needs them, and only when it renders.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where Debian installs Chromium. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags that work as root in containers: no sandbox (it needs user namespaces), no GPU, and no
 * background network, component updates, sync or first-run work.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What to tell a user without a browser. */
export const INSTALL_HINT =
  'no Chromium found ($MPST_CHROMIUM, else /usr/bin/chromium); install ' +
  'it with `sudo apt-get install chromium` (Debian/Ubuntu), or set ' +
  'MPST_CHROMIUM to a Chromium or Chrome executable';

/** The Chromium to use: `$MPST_CHROMIUM` if set, else `/usr/bin/chromium`; undefined when that file does not exist. */
export function findChromium(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const wanted =
    env['MPST_CHROMIUM'] !== undefined && env['MPST_CHROMIUM'] !== ''
      ? env['MPST_CHROMIUM']
      : DEFAULT_CHROMIUM;
  return existsSync(wanted) ? wanted : undefined;
}

/** The result of rendering one diagram. */
export type RenderOutcome =
  | { readonly ok: true; readonly svg: string }
  | {
      readonly ok: false;
      readonly error: string;
      /**
       * True when nothing could be rendered at all: no browser, `playwright-core` or `mermaid`
       * not installed, or the browser would not start (from {@link renderSvg}); absent when
       * Mermaid rejected the text.
       */
      readonly setup?: true;
    };

/** What to tell a user without the optional peer dependencies. */
export const PEERS_HINT =
  'the SVG renderer needs the npm packages playwright-core and mermaid: npm install playwright-core mermaid@11';

/** Why the renderer could not start, in one line (see {@link PEERS_HINT}, {@link INSTALL_HINT}). */
function setupError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/Cannot find (module|package) '(playwright-core|mermaid)/.test(message)) return PEERS_HINT;
  if (message === INSTALL_HINT) return message;
  return `cannot start the browser: ${message.split('\n')[0] ?? message}`;
}

/** Options of {@link MermaidRenderer.open}. */
export interface RendererOptions {
  /** The browser executable. Default: {@link findChromium}. */
  readonly executablePath?: string;
  /** `mermaid.min.js`. Default: the one of the installed `mermaid` package. */
  readonly mermaidScript?: string;
  /**
   * Pages rendering in parallel (each page is its own renderer process, so this uses as
   * many cores). Default 1.
   */
  readonly pages?: number;
}

/** Diagrams a page renders per round trip: fewer round trips, yet the pages stay balanced. */
const CHUNK = 20;

/** The part of Playwright's page this module uses (Playwright is loaded only when needed). */
interface Page {
  setContent(html: string): Promise<void>;
  addScriptTag(options: { path: string }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  screenshot(options: { fullPage: boolean; type: 'png' }): Promise<Buffer>;
}
interface Context {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: {
    launchPersistentContext(
      dir: string,
      options: { executablePath: string; headless: boolean; args: string[] },
    ): Promise<Context>;
  };
}

/** The page's view of Mermaid (loaded by the script tag). */
interface MermaidGlobal {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

/** A headless Chromium page with Mermaid loaded: renders many diagrams, one after the other. */
export class MermaidRenderer {
  private constructor(
    private readonly context: Context,
    private readonly pages: readonly Page[],
    private readonly profile: string,
  ) {}

  /** Starts the browser (a fresh profile directory, deleted by {@link close}) and loads Mermaid. */
  static async open(options: RendererOptions = {}): Promise<MermaidRenderer> {
    const executablePath = options.executablePath ?? findChromium();
    if (executablePath === undefined) throw new Error(INSTALL_HINT);
    const require = createRequire(import.meta.url);
    const mermaidScript = options.mermaidScript ?? require.resolve('mermaid/dist/mermaid.min.js');
    const { chromium } = (await import('playwright-core')) as unknown as Playwright;
    const profile = mkdtempSync(path.join(tmpdir(), 'mpst-chromium-'));
    try {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        args: [...CHROMIUM_FLAGS],
      });
      const pages: Page[] = [];
      for (let i = 0; i < Math.max(1, options.pages ?? 1); i++) {
        const page = await context.newPage();
        await page.setContent(
          '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>',
        );
        await page.addScriptTag({ path: mermaidScript });
        await page.evaluate(() => {
          const m = (globalThis as unknown as { mermaid: MermaidGlobal }).mermaid;
          // Large corpus protocols exceed the default text and edge limits; errors are thrown,
          // not drawn into the page.
          m.initialize({
            startOnLoad: false,
            securityLevel: 'strict',
            maxTextSize: 10_000_000,
            maxEdges: 100_000,
            suppressErrorRendering: true,
            fontFamily: 'DejaVu Sans, sans-serif',
          });
        }, undefined);
        pages.push(page);
      }
      return new MermaidRenderer(context, pages, profile);
    } catch (e) {
      rmSync(profile, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * Renders each text; a parse or layout error is that text's outcome. The pages take chunks
   * of the list in turn, each rendering one diagram after the other (`mermaid.render`).
   */
  async render(texts: readonly string[]): Promise<RenderOutcome[]> {
    const out: RenderOutcome[] = new Array<RenderOutcome>(texts.length);
    let next = 0;
    const work = async (page: Page): Promise<void> => {
      while (next < texts.length) {
        const start = next;
        next = Math.min(texts.length, next + CHUNK);
        const results = await renderInPage(page, texts.slice(start, next), start);
        results.forEach((r, i) => (out[start + i] = r));
      }
    };
    await Promise.all(this.pages.map(work));
    return out;
  }

  /** A PNG picture of an SVG (to check a diagram by eye). */
  async screenshot(svg: string, width = 1200): Promise<Buffer> {
    const page = this.pages[0];
    if (!page) throw new Error('no page');
    await page.setViewportSize({ width, height: 400 });
    await page.evaluate((s: string) => {
      (
        globalThis as unknown as { document: { body: { innerHTML: string } } }
      ).document.body.innerHTML = s;
    }, svg);
    return page.screenshot({ fullPage: true, type: 'png' });
  }

  /** Closes the browser and deletes its profile. */
  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      rmSync(this.profile, { recursive: true, force: true });
    }
  }
}

/** Renders `texts` one after the other in `page`; ids are numbered from `first`. */
function renderInPage(
  page: Page,
  texts: readonly string[],
  first: number,
): Promise<RenderOutcome[]> {
  return page.evaluate(
    async ({ list, from }: { list: readonly string[]; from: number }) => {
      const m = (globalThis as unknown as { mermaid: MermaidGlobal }).mermaid;
      const results: RenderOutcome[] = [];
      for (const [i, t] of list.entries()) {
        try {
          const { svg } = await m.render(`mpst-diagram-${String(from + i)}`, t);
          results.push({ ok: true, svg });
        } catch (e) {
          results.push({ ok: false, error: e instanceof Error ? e.message : String(e) });
        }
      }
      return results;
    },
    { list: texts, from: first },
  );
}

/**
 * Renders one Mermaid text to SVG (starting and closing a browser). Never throws for a missing
 * browser or missing peer packages (`playwright-core`, `mermaid`): that is an outcome
 * `{ ok: false, error, setup: true }` whose error says what to install.
 */
export async function renderSvg(
  mermaidText: string,
  options: RendererOptions = {},
): Promise<RenderOutcome> {
  let r: MermaidRenderer;
  try {
    r = await MermaidRenderer.open(options);
  } catch (e) {
    return { ok: false, error: setupError(e), setup: true };
  }
  try {
    const [out] = await r.render([mermaidText]);
    return out ?? { ok: false, error: 'no result' };
  } finally {
    await r.close();
  }
}

/**
 * For a child process (`mpst diagram --svg` runs this so that its own `main` stays
 * synchronous): reads Mermaid text on stdin, writes the SVG on stdout. Returns the exit code:
 * 0 rendered, 1 Mermaid rejected the text (message on stderr), 2 no browser or no
 * `playwright-core`/`mermaid` installed (how to install them on stderr).
 */
export async function renderSvgStdio(): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const input = Buffer.concat(chunks).toString('utf8');
  if (findChromium() === undefined) {
    process.stderr.write(`${INSTALL_HINT}\n`);
    return 2;
  }
  const out = await renderSvg(input);
  if (!out.ok) {
    process.stderr.write(
      out.setup ? `${out.error}\n` : `Mermaid rejected the diagram: ${out.error}\n`,
    );
    return out.setup ? 2 : 1;
  }
  process.stdout.write(out.svg);
  return 0;
}
