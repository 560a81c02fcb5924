import { conformanceSuite } from '../conformance.js';
import { mailboxHarness, simHarness } from '../harnesses.js';

conformanceSuite(simHarness(1));
conformanceSuite(simHarness(99));
conformanceSuite(mailboxHarness);
