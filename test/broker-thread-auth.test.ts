// The worker runs compiled JavaScript, so this file tests the build (`pretest` builds it).
import { startBrokerThread } from '../dist/broker/thread.js';
import { authBehaviour } from './support/auth-suite.js';

authBehaviour('broker in a worker thread with logins', startBrokerThread);
