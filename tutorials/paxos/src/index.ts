export * from './kit.js';
export * from './paxos.js';
export * from './values.js';
