/**
 * A loopback TCP proxy in front of a test server: it forwards bytes untouched, reads the HTTP request lines the
 * client sends (so a test can count GETs per key), records how many connections were open at once (reads in
 * parallel need several), and can cut the line: reset every open connection and refuse new ones for a while.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

export interface RequestLine {
  readonly method: string;
  /** The path without its query string, URL-decoded. */
  readonly path: string;
  readonly query: string;
}

export interface TcpProxy {
  readonly endpoint: string;
  /** Request lines seen since the last `resetCounters()`. */
  readonly requests: readonly RequestLine[];
  /** The most connections open at the same time since the last `resetCounters()`. */
  readonly maxOpenConnections: number;
  /** Connections reset by a cut since the last `resetCounters()`. */
  readonly connectionsReset: number;
  resetCounters(): void;
  /**
   * After `afterRequests` more request lines pass whose path starts with `pathPrefix`, reset every connection
   * and refuse new ones for `durationMs` (Infinity: until `restore()`).
   */
  cutAfter(afterRequests: number, pathPrefix: string, durationMs: number): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let requests: RequestLine[] = [];
  let open = 0;
  let maxOpen = 0;
  let reset = 0;
  let cutUntil = 0;
  let pendingCut: { remaining: number; pathPrefix: string; durationMs: number } | null = null;

  const cutNow = (durationMs: number) => {
    cutUntil = durationMs === Infinity ? Infinity : Date.now() + durationMs;
    for (const socket of sockets) {
      reset++;
      socket.resetAndDestroy();
    }
  };

  const onRequestLine = (line: string) => {
    const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(line);
    if (!match) return;
    const [path = '', query = ''] = match[2]!.split('?');
    const request = { method: match[1]!, path: decodeURIComponent(path), query };
    requests.push(request);
    if (pendingCut && request.path.startsWith(pendingCut.pathPrefix) && --pendingCut.remaining <= 0) {
      const { durationMs } = pendingCut;
      pendingCut = null;
      // After this tick, so the request that triggered the cut is itself caught in it.
      setImmediate(() => cutNow(durationMs));
    }
  };

  const server: Server = createServer((client) => {
    if (Date.now() < cutUntil) {
      reset++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    open++;
    maxOpen = Math.max(maxOpen, open);
    let pending = '';
    client.on('data', (chunk: Buffer) => {
      // Request bodies are not parsed: a test counts GETs, whose requests are header lines only, and a PUT body
      // that happened to hold a line like a request line would add a spurious entry, never hide a real one.
      pending += chunk.toString('latin1');
      const lines = pending.split('\r\n');
      pending = (lines.pop() ?? '').slice(-8192);
      for (const line of lines) onRequestLine(line);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      if (sockets.delete(client)) open--;
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the proxy has no port');

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    get requests() {
      return requests;
    },
    get maxOpenConnections() {
      return maxOpen;
    },
    get connectionsReset() {
      return reset;
    },
    resetCounters() {
      requests = [];
      maxOpen = open;
      reset = 0;
    },
    cutAfter(afterRequests, pathPrefix, durationMs) {
      pendingCut = { remaining: afterRequests, pathPrefix, durationMs };
    },
    restore() {
      pendingCut = null;
      cutUntil = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
