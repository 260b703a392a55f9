import type { HomeStore } from '../store/index.js';
import { ensureServiceAccount, hashPassword, PLAYGROUND_ACCOUNTS, STUDENT_ACCOUNT, type Account } from './accounts.js';
import { readAclFile } from './acl.js';
import type { BrokerAuth } from './auth.js';

export interface AuthChoices {
  /** --auth: clients must log in. */
  auth: boolean;
  /** --acl FILE: mosquitto-style rules instead of the default policy. */
  aclFile?: string;
  /** --student: a `student` / `student` account for this run (implies auth). */
  student: boolean;
}

export interface PreparedAuth {
  /** For BrokerOptions.auth; undefined = the broker lets everyone in and do anything. */
  auth?: BrokerAuth;
  /** The login for the program's own MQTT clients (devices, panes) while the broker checks logins. */
  login?: { username: string; password: string };
  warnings: string[];
}

/**
 * Reads the ACL file (an AclError names the bad line), gives the devices a fresh service login
 * and gathers the accounts the broker thread checks logins against.
 */
export async function prepareBrokerAuth(choices: AuthChoices, store: HomeStore): Promise<PreparedAuth> {
  const required = choices.auth || choices.student;
  if (!required && choices.aclFile === undefined) return { warnings: [] };
  const acl = choices.aclFile === undefined ? undefined : await readAclFile(choices.aclFile);
  const warnings: string[] = [];
  const login = await ensureServiceAccount(store);
  const accounts: Account[] = [...store.data.broker.accounts];
  if (choices.student) {
    // The playground's alice and bob come with the student, so its authorized demo has two users to compare.
    for (const classroom of [STUDENT_ACCOUNT, ...PLAYGROUND_ACCOUNTS]) {
      if (accounts.some((account) => account.username === classroom.username)) {
        warnings.push(`an account named ${classroom.username} is already stored, so --student keeps its password.`);
      } else {
        // Only for this run and never stored: a classroom login must not outlive the class.
        accounts.push({ username: classroom.username, hash: await hashPassword(classroom.password), admin: false });
      }
    }
  }
  if (!required) {
    warnings.push('the ACL file applies, but clients without a user name may still connect; add --auth to require a login.');
  }
  return { auth: { required, accounts, ...(acl ? { acl } : {}) }, login, warnings };
}
