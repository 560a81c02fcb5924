/**
 * The two buyers and the seller of TwoBuyer.scr on their generated API. The default export is
 * what the examples' tests run (tutorials/examples/test/examples.test.ts): seeded simulations,
 * each judged by `check`. Made by `nx g @mpst/tools:protocol-example two-buyer`.
 */
import type { StepModule } from '../../paxos/src/kit.js';
import * as Buyer1 from './generated/TwoBuyer.Buyer1.js';
import * as Buyer2 from './generated/TwoBuyer.Buyer2.js';
import * as Seller from './generated/TwoBuyer.Seller.js';

/** The seller's catalogue: title → price. */
export const CATALOGUE: Readonly<Record<string, number>> = {
  'Types and Programming Languages': 72,
  'Communicating and Mobile Systems': 45,
  'The Pi-Calculus': 120,
  'Session Types in Practice': 30,
};
const TITLES = Object.keys(CATALOGUE);

/** What one run recorded, role by role. */
export interface Observation {
  readonly title: string;
  /** The two buyers' budgets, drawn from the seed. */
  readonly budget1: number;
  readonly budget2: number;
  /** The quote each buyer received. */
  readonly quote1?: number;
  readonly quote2?: number;
  /** What Buyer1 pays, and the share it asked Buyer2 to pay. */
  readonly contribution?: number;
  readonly share?: number;
  /** Buyer2's decision, its address when it bought, and the delivery date it was given. */
  readonly decision?: 'ok' | 'quit';
  readonly address?: string;
  readonly date?: string;
  /** What the seller recorded: the address it ships to and the date it gave. */
  readonly shippedTo?: string;
  readonly shippedOn?: string;
  readonly sellerQuit?: boolean;
}

/** A seeded number in [0, n): the same seed always draws the same budgets and title. */
function draw(seed: number, salt: number, n: number): number {
  const x = Math.imul(seed ^ (salt * 0x9e3779b1), 0x85ebca6b) >>> 0;
  return x % n;
}

/** Buyer1 pays at most half the price, within its budget; Buyer2 is asked for the rest. */
export function contributionOf(quote: number, budget1: number): number {
  return Math.min(budget1, Math.floor(quote / 2));
}

const example: StepModule<Observation> = {
  protocol: 'TwoBuyer',
  specs: [Buyer1.spec, Buyer2.spec, Seller.spec],
  makeRun(seed) {
    const title = TITLES[draw(seed, 1, TITLES.length)] ?? '';
    const budget1 = draw(seed, 2, 80);
    const budget2 = draw(seed, 3, 80);
    const address = `${String(1 + draw(seed, 4, 99))} Protocol Road`;
    const o: { -readonly [K in keyof Observation]: Observation[K] } = { title, budget1, budget2 };

    const buyer1 = Buyer1.send_title.title(
      title,
      Buyer1.recv_quote.handle({
        quote: (price) => {
          o.quote1 = price;
          o.contribution = contributionOf(price, budget1);
          return Buyer1.send_share.share(price - o.contribution, Buyer1.end);
        },
      }),
    );

    const buyer2 = Buyer2.recv_quote.handle({
      quote: (price) => {
        o.quote2 = price;
        return Buyer2.recv_share.handle({
          share: (share) => {
            o.share = share;
            if (share > budget2) {
              o.decision = 'quit';
              return Buyer2.send_ok_quit.quit(Buyer2.end);
            }
            o.decision = 'ok';
            o.address = address;
            return Buyer2.send_ok_quit.ok(
              address,
              Buyer2.recv_date.handle({
                date: (date) => {
                  o.date = date;
                  return Buyer2.end;
                },
              }),
            );
          },
        });
      },
    });

    const seller = Seller.recv_title.handle({
      title: (wanted) => {
        // A title the catalogue does not have costs more than any budget: Buyer2 will quit.
        const price = CATALOGUE[wanted] ?? 1000;
        return Seller.send_quote.quote(
          price,
          Seller.send_quote_2.quote(
            price,
            Seller.recv_ok_quit.handle({
              ok: (to) => {
                o.shippedTo = to;
                o.shippedOn = `day ${String(1 + draw(seed, 5, 30))}`;
                return Seller.send_date.date(o.shippedOn, Seller.end);
              },
              quit: () => {
                o.sellerQuit = true;
                return Seller.end;
              },
            }),
          ),
        );
      },
    });

    return {
      code: {
        Buyer1: (ep) => Buyer1.run(ep, buyer1),
        Buyer2: (ep) => Buyer2.run(ep, buyer2),
        Seller: (ep) => Seller.run(ep, seller),
      },
      observe: () => ({ ...o }),
    };
  },
  check(o) {
    const problems: string[] = [];
    const price = CATALOGUE[o.title];
    if (o.quote1 !== price || o.quote2 !== price)
      problems.push(
        `quotes ${String(o.quote1)} and ${String(o.quote2)}, catalogue ${String(price)}`,
      );
    if (o.contribution === undefined || o.contribution > o.budget1)
      problems.push(`Buyer1 pays ${String(o.contribution)} on a budget of ${String(o.budget1)}`);
    if (o.share !== (o.quote1 ?? NaN) - (o.contribution ?? NaN))
      problems.push(`Buyer2's share ${String(o.share)} is not the price minus Buyer1's part`);
    const affordable = o.share !== undefined && o.share <= o.budget2;
    if (o.decision !== (affordable ? 'ok' : 'quit'))
      problems.push(
        `Buyer2 said ${String(o.decision)} to a share of ${String(o.share)} ` +
          `on a budget of ${String(o.budget2)}`,
      );
    if (
      o.decision === 'ok' &&
      (o.shippedTo !== o.address || o.date !== o.shippedOn || o.date === undefined)
    )
      problems.push(
        `bought, but shipped to ${String(o.shippedTo)} on ${String(o.shippedOn)}, ` +
          `and Buyer2 was told ${String(o.date)}`,
      );
    if (o.decision === 'quit' && (o.shippedTo !== undefined || o.sellerQuit !== true))
      problems.push('Buyer2 quit, but the seller did not record it');
    return problems;
  },
};

export default example;
