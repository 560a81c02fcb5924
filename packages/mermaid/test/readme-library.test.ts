/**
 * The root README's "As a library" sample, run step by step: text to a role's local protocol
 * (`analyzeText`, `printLocalProtocol`) and the diagrams; its outputs are what its comments say.
 */
import { efsmToState, globalToSequence } from '@mpst/mermaid';
import { analyzeText, printLocalProtocol } from '@mpst/projector';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const SHOP = `global protocol Shop(role Buyer, role Seller) {
  quote(price: Int) from Seller to Buyer;
  choice at Buyer { accept() from Buyer to Seller; } or { reject() from Buyer to Seller; }
}`;

test('the README sample: text to local protocol, sequence and state diagrams', () => {
  const readme = readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');
  expect(readme).toContain(SHOP);
  const { protocols, diagnostics } = analyzeText(SHOP);
  expect(diagnostics).toEqual([]);
  const shop = protocols[0];
  expect(shop?.protocol).toBeDefined();
  if (!shop?.protocol) return;
  expect(printLocalProtocol(shop, 'Buyer')).toMatch(
    /^local protocol Shop_Buyer at Buyer\(self Buyer, role Seller\) \{\n {2}quote\(price: Int\) from Seller;/,
  );
  expect(globalToSequence(shop.protocol)).toMatch(/^sequenceDiagram\n/);
  const buyer = shop.roles.find((r) => r.role === 'Buyer')?.efsm;
  expect(buyer && efsmToState(buyer)).toContain('stateDiagram-v2');
});
