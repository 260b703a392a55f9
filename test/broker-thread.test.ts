// The worker runs compiled JavaScript, so this file tests the build (`pretest` builds it).
import { BrokerError } from '../dist/broker/embedded.js';
import { startBrokerThread } from '../dist/broker/thread.js';
import { brokerBehaviour } from './support/broker-suite.js';

brokerBehaviour('broker in a worker thread', startBrokerThread, BrokerError);
