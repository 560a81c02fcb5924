export * from './kit.js';
export * from './paxos.js';
export * from './acceptor.js';
export * from './proposer.js';
export * from './values.js';
export * from './search.js';
