/**
 * The role code of TwoBuyer.scr on its generated API. The default export is what the
 * examples' tests run (tutorials/examples/test/examples.test.ts): seeded simulations, each
 * judged by `check`. Made by `nx g @mpst/tools:protocol-example two-buyer`.
 */
import type { StepModule } from '../../paxos/src/kit.js';
import * as Client from './generated/TwoBuyer.Client.js';
import * as Server from './generated/TwoBuyer.Server.js';

/** What one run recorded. */
export interface Observation {
  readonly question: string;
  /** The answer the client received; undefined when the server refused (or nothing came). */
  readonly answer: string | undefined;
  readonly refused: boolean;
}

/** The questions a seed picks from; the server refuses the empty one. */
const QUESTIONS = ['', 'why', 'how many', 'who is there'];

const example: StepModule<Observation> = {
  protocol: 'TwoBuyer',
  specs: [Client.spec, Server.spec],
  makeRun(seed) {
    const question = QUESTIONS[seed % QUESTIONS.length] ?? '';
    let answer: string | undefined;
    let refused = false;
    const client = Client.send_ask.ask(
      question,
      Client.recv_answer_refuse.handle({
        answer: (text) => {
          answer = text;
          return Client.end;
        },
        refuse: () => {
          refused = true;
          return Client.end;
        },
      }),
    );
    const server = Server.recv_ask.handle({
      ask: (text) =>
        text === ''
          ? Server.send_answer_refuse.refuse(Server.end)
          : Server.send_answer_refuse.answer(text.toUpperCase(), Server.end),
    });
    return {
      code: { Client: (ep) => Client.run(ep, client), Server: (ep) => Server.run(ep, server) },
      observe: () => ({ question, answer, refused }),
    };
  },
  check({ question, answer, refused }) {
    if (question === '') return refused ? [] : ['the server did not refuse the empty question'];
    return answer === question.toUpperCase()
      ? []
      : [
          `the client asked "${question}" and got ${answer === undefined ? 'no answer' : `"${answer}"`}`,
        ];
  },
};

export default example;
