/**
 * The entry of the child process that `mpst diagram --svg` starts: Mermaid text on stdin, SVG
 * on stdout. A file of its own, next to every build of the CLI (dist/ and the bundle), so the
 * child loads the renderer without resolving `@mpst/mermaid` from wherever the CLI runs.
 */
export { renderSvgStdio } from '@mpst/mermaid/node';
