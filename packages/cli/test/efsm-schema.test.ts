/**
 * `mpst fsm --format json` against @mpst/projector's schema/efsm.schema.json (JSON Schema
 * draft 2020-12), with the small validator of json-schema.ts (exactly the keywords it implements). The test
 * refuses a schema that uses any other keyword, so nothing is silently ignored, and requires
 * every object in the schema to be closed (`additionalProperties: false`, every property
 * `required`): an output that gains or loses a field fails validation.
 */
import type {
  Efsm,
  EfsmState,
  EfsmTransition,
  Invitation,
  LocalAction,
  Message,
} from '@mpst/projector';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  ANNOTATIONS,
  isObject,
  KEYWORDS,
  subschemas,
  validate,
  type Json,
  type JsonObject,
} from './json-schema.js';
import { fixture, run } from './run.js';

type MutableObject = Record<string, Json>;

const SCHEMA = JSON.parse(
  readFileSync(new URL('../../projector/schema/efsm.schema.json', import.meta.url), 'utf8'),
) as JsonObject;

// The field names of the TypeScript types. `Record<keyof T, true>` does not compile when a
// field is added to or removed from T (`npm run typecheck`), so these lists follow efsm.ts/local.ts.
const fields = <T>(r: Record<keyof T, true>): string[] => Object.keys(r).sort();
type MessageAction = Extract<LocalAction, { kind: 'send' }>;
type PeerAction = Extract<LocalAction, { kind: 'crash' }>;
const TS_FIELDS = {
  Efsm: fields<Efsm>({
    protocol: true,
    role: true,
    initial: true,
    states: true,
    transitions: true,
  }),
  EfsmState: fields<EfsmState>({ id: true, terminal: true }),
  EfsmTransition: fields<EfsmTransition>({ from: true, to: true, action: true, label: true }),
  Message: fields<Message>({ label: true, payload: true, call: true }),
  Invitation: fields<Invitation>({ caller: true, protocol: true, roles: true, written: true }),
  MessageAction: fields<MessageAction>({ kind: true, peer: true, message: true }),
  PeerAction: fields<PeerAction>({ kind: true, peer: true }),
};
/** Optional fields (`?:` in the types), not in the schema's `required`. */
const OPTIONAL = { Message: ['call'] };
/** Every `LocalAction` kind, and whether it carries a message. */
const KINDS: Record<LocalAction['kind'], boolean> = {
  send: true,
  receive: true,
  request: true,
  accept: true,
  crash: false,
  disconnect: false,
  'wrap-client': false,
  'wrap-server': false,
};

/** Fixture protocols and roles whose machines together use every kind of action. */
const CASES: [file: string, roles: string[]][] = [
  ['Shop.scr', ['Buyer', 'Seller', 'Shipper']],
  ['PingCrash.scr', ['C', 'S']],
  ['Connect.scr', ['C', 'S']],
  ['Calls.nuscr', ['C', 'B']],
];

function fsmJson(file: string, role: string): Json {
  const r = run(['fsm', file, '--role', role, '--format', 'json'], { [file]: fixture(file) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

const defs = (): Record<string, JsonObject> => {
  const d = SCHEMA['$defs'];
  if (!isObject(d)) throw new Error('schema has no $defs');
  return Object.fromEntries(
    Object.entries(d).filter((e): e is [string, JsonObject] => isObject(e[1])),
  );
};
const propertyNames = (s: JsonObject | undefined): string[] =>
  Object.keys(s && isObject(s['properties']) ? s['properties'] : {}).sort();

describe('schema/efsm.schema.json', () => {
  test('is draft 2020-12 and uses only keywords this validator implements', () => {
    expect(SCHEMA['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    for (const s of subschemas(SCHEMA))
      for (const k of Object.keys(s)) expect(KEYWORDS.has(k) || ANNOTATIONS.has(k), k).toBe(true);
  });

  test(
    'every object is closed: all properties required (but the optional ' +
      'ones the types declare), no others allowed',
    () => {
      const objects = subschemas(SCHEMA).filter((s) => s['type'] === 'object');
      expect(objects.length).toBe(7);
      for (const s of objects) {
        expect(s['additionalProperties']).toBe(false);
        const optional = s === defs()['Message'] ? OPTIONAL.Message : [];
        expect([...(s['required'] as string[]), ...optional].sort()).toEqual(propertyNames(s));
      }
    },
  );

  test('describes the fields of the TypeScript types', () => {
    const d = defs();
    const [msgAction, peerAction] = (d['LocalAction']?.['oneOf'] ?? []) as JsonObject[];
    expect(propertyNames(SCHEMA)).toEqual(TS_FIELDS.Efsm);
    expect(propertyNames(d['EfsmState'])).toEqual(TS_FIELDS.EfsmState);
    expect(propertyNames(d['EfsmTransition'])).toEqual(TS_FIELDS.EfsmTransition);
    expect(propertyNames(d['Message'])).toEqual(TS_FIELDS.Message);
    expect(propertyNames(d['Invitation'])).toEqual(TS_FIELDS.Invitation);
    expect(propertyNames(msgAction)).toEqual(TS_FIELDS.MessageAction);
    expect(propertyNames(peerAction)).toEqual(TS_FIELDS.PeerAction);
    const kindsOf = (s: JsonObject | undefined): Json =>
      isObject(s?.['properties']) && isObject(s['properties']['kind'])
        ? (s['properties']['kind']['enum'] ?? null)
        : null;
    const kinds = Object.entries(KINDS);
    expect(kindsOf(msgAction)).toEqual(kinds.filter(([, m]) => m).map(([k]) => k));
    expect(kindsOf(peerAction)).toEqual(kinds.filter(([, m]) => !m).map(([k]) => k));
  });
});

describe('mpst fsm --format json conforms to the schema', () => {
  test.each(CASES.flatMap(([file, roles]) => roles.map((role) => [file, role])))(
    '%s --role %s',
    (file, role) => {
      expect(validate(SCHEMA, fsmJson(file, role))).toEqual([]);
    },
  );

  test('the cases exercise every kind of action', () => {
    const seen = new Set<string>();
    for (const [file, roles] of CASES) {
      for (const role of roles) {
        const efsm = fsmJson(file, role) as unknown as Efsm;
        for (const t of efsm.transitions) seen.add(t.action.kind);
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(KINDS).sort());
  });

  test('the validator rejects an output with a field more, a field less, or a wrong value', () => {
    const good = fsmJson('PingCrash.scr', 'C') as unknown as Efsm;
    const mutate = (f: (e: MutableObject) => void): Json => {
      const copy = JSON.parse(JSON.stringify(good)) as MutableObject;
      f(copy);
      return copy;
    };
    const transition = (e: MutableObject, i: number): MutableObject =>
      (e['transitions'] as MutableObject[])[i] ?? {};
    expect(validate(SCHEMA, good as unknown as Json)).toEqual([]);
    expect(
      validate(
        SCHEMA,
        mutate((e) => (e['version'] = 1)),
      ),
    ).toEqual(["$: unexpected 'version'"]);
    expect(
      validate(
        SCHEMA,
        mutate((e) => delete e['initial']),
      ),
    ).toEqual(["$: missing 'initial'"]);
    expect(
      validate(
        SCHEMA,
        mutate((e) => delete transition(e, 0)['label']),
      ),
    ).toEqual(["$.transitions[0]: missing 'label'"]);
    expect(
      validate(
        SCHEMA,
        mutate((e) => (transition(e, 0)['to'] = '1')),
      ),
    ).toEqual(['$.transitions[0].to: expected "integer", got "1"']);
    expect(
      validate(
        SCHEMA,
        mutate((e) => (transition(e, 0)['action'] = { kind: 'shout', peer: 'S' })),
      ),
    ).toEqual(['$.transitions[0].action: matches 0 of the oneOf branches, not exactly 1']);
    // A crash detection carries no message.
    const crash = good.transitions.findIndex((t) => t.action.kind === 'crash');
    expect(crash).toBeGreaterThanOrEqual(0);
    expect(
      validate(
        SCHEMA,
        mutate(
          (e) =>
            ((transition(e, crash)['action'] as MutableObject)['message'] = {
              label: 'x',
              payload: [],
            }),
        ),
      ),
    ).toEqual([
      `$.transitions[${String(crash)}].action: matches 0 of the oneOf branches, not exactly 1`,
    ]);
    expect(
      validate(
        SCHEMA,
        mutate((e) => ((e['states'] as MutableObject[])[0] = { id: -1, terminal: false })),
      ),
    ).toEqual(['$.states[0].id: -1 < 0']);
  });
});
