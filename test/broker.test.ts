import { BrokerError, startBroker } from '../src/broker/embedded.js';
import { brokerBehaviour } from './support/broker-suite.js';

brokerBehaviour('embedded broker', startBroker, BrokerError);
