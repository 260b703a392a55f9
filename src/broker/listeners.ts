import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';

export { BrokerError, brokerErrorSentence, loopbackName, type BrokerErrorCode, type ListenerKey } from './broker-error.js';
import { BrokerError, type BrokerErrorCode, type ListenerKey } from './broker-error.js';

const ERROR_CODES: Record<string, BrokerErrorCode> = {
  EADDRINUSE: 'port-in-use',
  EACCES: 'permission',
  EADDRNOTAVAIL: 'bad-address',
  ENOTFOUND: 'bad-address',
  EAI_AGAIN: 'bad-address',
  EAI_NONAME: 'bad-address',
  ERR_SOCKET_BAD_PORT: 'bad-address',
};

/** A listen failure a person can fix as a BrokerError; other failures pass through. */
function listenFailure(error: unknown, host: string, port: number, listener: ListenerKey): unknown {
  const code = ERROR_CODES[(error as NodeJS.ErrnoException).code ?? ''];
  return code ? new BrokerError(code, port, host, listener) : error;
}

function listen(server: Server, host: string, port: number, listener: ListenerKey): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(listenFailure(error, host, port, listener));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    try {
      server.listen({ port, host });
    } catch (error) {
      server.off('error', onError);
      server.off('listening', onListening);
      reject(listenFailure(error, host, port, listener));
    }
  });
}

function closeServer(server: Server): Promise<void> {
  // Not listening (never started or already closed) is fine: there is nothing to wait for.
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface ListenerOptions {
  host: string;
  port: number;
  /** MQTT over WebSocket; undefined = off. */
  wsPort?: number;
  /** Open connections, TCP and WebSocket together; one more is closed at once. */
  maxConnections: number;
  /** Hands a new TCP connection to the broker. */
  acceptTcp(socket: Socket): void;
  /** Hands a new WebSocket connection's byte stream to the broker. */
  acceptWebSocket(stream: Duplex, request: unknown): void;
  /** Tells the log about refused connections and the broker's own trouble. */
  remark(remark: ListenerRemark): void;
}

export type ListenerRemark =
  | { kind: 'refusing'; from: string; limit: number }
  | { kind: 'accepting-again'; refused: number }
  | { kind: 'websocket-error'; message: string };

export interface Listeners {
  readonly port: number;
  readonly wsPort?: number;
  /** Stops listening and ends every connection that never became a client. */
  close(): Promise<void>;
  /** Stops accepting; the promise settles once the listeners are closed. */
  stopAccepting(): Promise<void>;
}

/** The TCP listener (and the WebSocket one when asked), with one connection cap over both. */
export async function startListeners(opts: ListenerOptions): Promise<Listeners> {
  const sockets = new Set<Socket>();
  let wsConnections = 0;
  /** Set while connections are refused, so a storm of them is two log lines, not thousands. */
  let refusing: { count: number } | undefined;
  const isFull = () => sockets.size + wsConnections >= opts.maxConnections;
  const refuse = (socket: Socket) => {
    const from = socket.remoteAddress ?? 'an unknown address';
    socket.destroy();
    if (refusing) return void refusing.count++;
    refusing = { count: 1 };
    opts.remark({ kind: 'refusing', from, limit: opts.maxConnections });
  };
  const connectionClosed = () => {
    if (!refusing || isFull()) return;
    opts.remark({ kind: 'accepting-again', refused: refusing.count });
    refusing = undefined;
  };

  const tcp = createTcpServer({ noDelay: true }, (socket) => {
    if (isFull()) return refuse(socket);
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      connectionClosed();
    });
    opts.acceptTcp(socket);
  });
  let http: HttpServer | undefined;
  let wss: WebSocketServer | undefined;
  let closing: Promise<void> | undefined;

  const stopAccepting = () => {
    closing ??= Promise.all([closeServer(tcp), http ? closeServer(http) : Promise.resolve()]).then(() => undefined);
    return closing;
  };
  const close = async () => {
    const closed = stopAccepting();
    for (const socket of sockets) socket.destroy();
    for (const ws of wss?.clients ?? []) ws.terminate();
    wss?.close();
    await closed;
  };

  try {
    const port = await listen(tcp, opts.host, opts.port, 'port');
    let wsPort: number | undefined;
    if (opts.wsPort !== undefined) {
      http = createHttpServer({ noDelay: true }, (_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain' });
        res.end('This is an MQTT over WebSocket endpoint; connect with an MQTT client.\n');
      });
      http.on('connection', (socket: Socket) => {
        if (isFull()) return refuse(socket);
        wsConnections++;
        socket.once('close', () => {
          wsConnections--;
          connectionClosed();
        });
      });
      wsPort = await listen(http, opts.host, opts.wsPort, 'wsPort');
      wss = new WebSocketServer({ server: http });
      wss.on('error', (error) => opts.remark({ kind: 'websocket-error', message: error.message }));
      wss.on('connection', (ws, req) => opts.acceptWebSocket(createWebSocketStream(ws), req));
    }
    return { port, wsPort, close, stopAccepting };
  } catch (error) {
    await close();
    throw error;
  }
}
