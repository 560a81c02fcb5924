// This project's tests (`nx test <project>`): the workspace's shared Vitest settings.
export { default } from '../../vitest.shared.ts';
