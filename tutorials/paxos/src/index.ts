export * from './kit.js';
export * from './paxos.js';
