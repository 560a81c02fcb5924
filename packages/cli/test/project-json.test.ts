/**
 * `mpst project --format json`: the local type as data, against @mpst/projector's
 * schema/local-type.schema.json (the validator refuses keywords it does not implement).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { subschemas, validate, type Json, type JsonObject } from './json-schema.js';
import { fixture, run } from './run.js';

const SCHEMA = JSON.parse(
  readFileSync(new URL('../../projector/schema/local-type.schema.json', import.meta.url), 'utf8'),
) as JsonObject;

function projectJson(files: Record<string, string>, file: string, role: string): Json {
  const r = run(['project', file, '--role', role, '--format', 'json'], files);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

describe('mpst project --format json', () => {
  const shop = { 'Shop.scr': fixture('Shop.scr') };

  test('Shop, Shipper: the expected output (test/fixtures/Shop.project.Shipper.json.expected)', async () => {
    const r = run(['project', 'Shop.scr', '--role', 'Shipper', '--format', 'json'], shop);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('./fixtures/Shop.project.Shipper.json.expected');
  });

  test('without --role: an array, one local type per role in declaration order', () => {
    const r = run(['project', 'Shop.scr', '--format', 'json'], shop);
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as { role: string }[];
    expect(all.map((t) => t.role)).toEqual(['Buyer', 'Seller', 'Shipper']);
    expect(all[2]).toEqual(projectJson(shop, 'Shop.scr', 'Shipper'));
    for (const t of all) expect(validate(SCHEMA, t as unknown as Json)).toEqual([]);
  });

  test.each([
    ['Shop.scr', ['Buyer', 'Seller', 'Shipper']],
    ['PingCrash.scr', ['C', 'S']],
    ['Connect.scr', ['C', 'S']],
    ['Calls.nuscr', ['C', 'B']],
  ])('%s: every role validates against schema/local-type.schema.json', (file, roles) => {
    for (const role of roles)
      expect(validate(SCHEMA, projectJson({ [file]: fixture(file) }, file, role))).toEqual([]);
  });

  test('a continuation shared by the branches is one node (k choices in sequence: linear)', () => {
    const k = 50;
    const body = Array.from(
      { length: k },
      (_, i) => `choice at A { l${String(i)}() from A to B; } or { r${String(i)}() from A to B; }`,
    );
    const text = `global protocol Seq(role A, role B) {\n${body.join('\n')}\n}\n`;
    const json = projectJson({ 'Seq.nuscr': text }, 'Seq.nuscr', 'B') as {
      nodes: { id: number; kind: string }[];
    };
    // One choice per step and the end: 2^k paths, k + 1 nodes.
    expect(json.nodes.map((n) => n.kind)).toEqual([...Array<string>(k).fill('choice'), 'end']);
    expect(json.nodes.map((n) => n.id)).toEqual(json.nodes.map((_, i) => i));
  });

  test('the schema is closed and uses only keywords the validator implements', () => {
    for (const s of subschemas(SCHEMA).filter((x) => x['type'] === 'object')) {
      expect(s['additionalProperties']).toBe(false);
      const props = Object.keys(s['properties'] as JsonObject).sort();
      const optional = props.includes('call') ? ['call'] : []; // Message.call is optional
      expect([...(s['required'] as string[]), ...optional].sort()).toEqual(props);
    }
    // The actions and messages are those of the EFSM schema.
    const efsm = JSON.parse(
      readFileSync(new URL('../../projector/schema/efsm.schema.json', import.meta.url), 'utf8'),
    ) as { $defs: Record<string, Json> };
    const defs = SCHEMA['$defs'] as Record<string, Json>;
    for (const name of ['LocalAction', 'Message', 'Invitation'])
      expect(defs[name], name).toEqual(efsm.$defs[name]);
  });

  test('an unknown format is a usage error', () => {
    const r = run(['project', 'Shop.scr', '--role', 'Buyer', '--format', 'yaml'], shop);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--format must be 'text' or 'json', not 'yaml'");
  });
});
