import { conformanceSuite } from '../conformance.js';
import { hubHarness } from './harness.js';

conformanceSuite(hubHarness('tcp'));
conformanceSuite(hubHarness('ws'));
