// The broker thread runs the sources too (test/support/register-ts.mjs).
import { BrokerError } from '../src/broker/embedded.js';
import { startBrokerThread } from '../src/broker/thread.js';
import { brokerBehaviour } from './support/broker-suite.js';

brokerBehaviour('broker in a worker thread', startBrokerThread, BrokerError);
