// The broker thread runs the sources too (test/support/register-ts.mjs).
import { startBrokerThread } from '../src/broker/thread.js';
import { authBehaviour } from './support/auth-suite.js';

authBehaviour('broker in a worker thread with logins', startBrokerThread);
