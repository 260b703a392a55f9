import { startBroker } from '../src/broker/embedded.js';
import { authBehaviour } from './support/auth-suite.js';

authBehaviour('embedded broker with logins', startBroker);
