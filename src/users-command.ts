import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AccountError, addAccount, hashPassword, listAccounts, removeAccount } from './broker/accounts.js';
import type { UsersCommand } from './options.js';
import { openStore, StoreError } from './store/index.js';

export interface UsersIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The person stopped the password prompt (Ctrl+C or end of input). */
class PromptCancelled extends Error {}

/** Asks one line without echoing it: readline writes the typed characters to a stream that drops them. */
function askHidden(question: string, io: UsersIo): Promise<string> {
  return new Promise((resolve, reject) => {
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    io.stderr.write(question);
    const rl = createInterface({ input: io.stdin, output: muted, terminal: true });
    let answered = false;
    rl.question('', (answer) => {
      answered = true;
      rl.close();
      io.stderr.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      if (answered) return;
      io.stderr.write('\n');
      reject(new PromptCancelled());
    });
  });
}

/** The new password: from the environment, or typed twice on the terminal. A string = the sentence to print instead. */
async function newPassword(command: Extract<UsersCommand, { action: 'add' }>, io: UsersIo): Promise<{ password: string } | { refusal: string; code: number }> {
  if (command.password !== undefined) return { password: command.password };
  if (!io.stdin.isTTY) {
    return {
      refusal: 'there is no terminal to ask for the password on; set SMART_HOME_TUI_PASSWORD to it instead.',
      code: 2,
    };
  }
  try {
    const first = await askHidden(`Password for ${command.username}: `, io);
    if (first === '') return { refusal: 'the password is empty; nothing was changed.', code: 1 };
    const again = await askHidden('Type it again: ', io);
    if (again !== first) return { refusal: 'the two passwords differ; nothing was changed.', code: 1 };
    return { password: first };
  } catch (error) {
    if (error instanceof PromptCancelled) return { refusal: 'cancelled; nothing was changed.', code: 1 };
    throw error;
  }
}

/** Runs `users add|remove|list` against the data file; resolves to the exit code. */
export async function runUsersCommand(command: UsersCommand, io: UsersIo): Promise<number> {
  const say = (sentence: string) => io.stderr.write(`smart-home-tui: ${sentence}\n`);
  let hash: string | undefined;
  if (command.action === 'add') {
    // Asked before the file is opened, so a slow typist does not hold the lock.
    const got = await newPassword(command, io);
    if ('refusal' in got) {
      say(got.refusal);
      return got.code;
    }
    hash = await hashPassword(got.password);
  }

  try {
    return await changeAccounts(command, hash, io);
  } catch (error) {
    if (error instanceof StoreError || error instanceof AccountError) {
      say(error.message);
      return 1;
    }
    throw error;
  }
}

async function changeAccounts(command: UsersCommand, hash: string | undefined, io: UsersIo): Promise<number> {
  const store = await openStore({ file: command.dataFile });
  try {
    const accounts = store.data.broker.accounts;
    switch (command.action) {
      case 'list': {
        const list = listAccounts(accounts);
        if (list.length === 0) io.stdout.write('No accounts yet; add one with: smart-home-tui users add NAME\n');
        for (const { username, admin } of list) io.stdout.write(`${username}${admin ? '  admin' : ''}\n`);
        return 0;
      }
      case 'add': {
        const { accounts: next, replaced } = addAccount(accounts, { username: command.username, hash: hash!, admin: command.admin });
        store.update((data) => (data.broker.accounts = next));
        io.stdout.write(`${replaced ? 'Changed' : 'Added'} ${command.admin ? 'admin ' : ''}account ${command.username}.\n`);
        return 0;
      }
      case 'remove': {
        const next = removeAccount(accounts, command.username);
        store.update((data) => (data.broker.accounts = next));
        io.stdout.write(`Removed account ${command.username}.\n`);
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}
