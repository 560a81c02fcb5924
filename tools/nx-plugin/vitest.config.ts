// This project's tests (`nx test @mpst/tools`): the workspace's shared Vitest settings.
export { default } from '../../vitest.shared.ts';
