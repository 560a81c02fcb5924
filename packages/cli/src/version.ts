/** The version of @mpst/cli (kept in step with package.json by the `fixed` changeset group). */
export const VERSION = '0.1.0';
