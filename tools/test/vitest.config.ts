// The workspace-level tests (`nx test tools`): the shared Vitest settings, tests in this folder.
import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, { test: { include: ['*.test.ts'] } });
