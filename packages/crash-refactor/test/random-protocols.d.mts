import type fc from 'fast-check';

export function randomProtocol(): fc.Arbitrary<{ text: string; roles: string[] }>;
export function randomFailureModel(roles: string[]): fc.Arbitrary<{ unreliable: string[] }>;
