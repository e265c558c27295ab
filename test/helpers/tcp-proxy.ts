import net from 'node:net';

/** A COMMIT statement on PostgreSQL's wire (simple or extended protocol: the text ends with a NUL). */
const COMMIT_MESSAGE = Buffer.from('COMMIT\0');

/**
 * A TCP proxy the test controls, in front of a real server (PostgreSQL): `cut()` drops every open connection and
 * refuses new ones (as a database that went away), `restore()` lets connections through again.
 */
export interface TcpProxy {
  port: number;
  /** Rewrites a connection URL's host and port to go through the proxy. */
  urlThrough(url: string): string;
  cut(): void;
  /**
   * Arms the cut that loses a COMMIT's acknowledgement: on the first connection whose client sends `marker` (a
   * value only one transaction carries), the next COMMIT is forwarded to the server, the server's answer is
   * withheld, and once the server has had time to commit, everything is cut (as `cut()`). Resolves then.
   */
  cutAfterCommitOf(marker: string): Promise<void>;
  restore(): void;
  close(): Promise<void>;
}

/** How long the server is given to apply a forwarded COMMIT before the cut. */
const COMMIT_APPLIED_MS = 300;

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let open = true;
  const pairs = new Set<net.Socket>();
  let armed: { marker: Buffer; done: () => void } | undefined;
  const cut = () => {
    open = false;
    for (const s of pairs) s.destroy();
    pairs.clear();
  };
  const server = net.createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    pairs.add(client);
    pairs.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(client);
      pairs.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    // Piped both ways unless a commit cut is armed: then this connection's traffic is read for the marker.
    let sawMarker = false;
    let withholding = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (!armed) return;
      if (!sawMarker) sawMarker = chunk.includes(armed.marker);
      if (sawMarker && chunk.includes(COMMIT_MESSAGE)) {
        const { done } = armed;
        armed = undefined;
        withholding = true;
        setTimeout(() => (cut(), done()), COMMIT_APPLIED_MS);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!withholding) client.write(chunk);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    urlThrough(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut,
    cutAfterCommitOf(marker) {
      return new Promise<void>((done) => (armed = { marker: Buffer.from(marker), done }));
    },
    restore() {
      open = true;
    },
    async close() {
      open = false;
      for (const s of pairs) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
