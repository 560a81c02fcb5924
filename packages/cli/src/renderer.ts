/**
 * Where render-svg.js is: in the same folder as this module, both in dist/ (tsc keeps the
 * layout of src/) and in the bundle (esbuild writes every entry and chunk into one folder).
 */
export const RENDERER_URL = new URL('./render-svg.js', import.meta.url).href;
