// A minimal Debug Adapter Protocol client over TCP, enough to drive debugpy in tests: requests with
// their responses, and a wait for events.
import * as net from 'net';

export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

export class DapClient {
  private seq = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, (m: DapMessage) => void>();
  private readonly events: DapMessage[] = [];
  private readonly waiters: { match: (m: DapMessage) => boolean; resolve: (m: DapMessage) => void }[] = [];
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  /** Connects, retrying while the server is not listening yet. */
  static async connect(port: number, timeoutMs = 20000): Promise<DapClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
          s.once('error', reject);
        });
        return new DapClient(socket);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as DapMessage;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.type === 'response' && message.request_seq !== undefined) {
        this.pending.get(message.request_seq)?.(message);
        this.pending.delete(message.request_seq);
      } else if (message.type === 'event') {
        const waiter = this.waiters.findIndex((w) => w.match(message));
        if (waiter >= 0) this.waiters.splice(waiter, 1)[0].resolve(message);
        else this.events.push(message);
      }
    }
  }

  /** Sends a request; the promise settles with its response. */
  request(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    const seq = this.seq++;
    const body = Buffer.from(JSON.stringify({ seq, type: 'request', command, arguments: args }), 'utf8');
    this.socket.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.socket.write(body);
    return new Promise((resolve) => this.pending.set(seq, resolve));
  }

  /** The first event (already received or still to come) that matches. */
  waitForEvent(event: string, timeoutMs = 30000, match: (m: DapMessage) => boolean = () => true): Promise<DapMessage> {
    const i = this.events.findIndex((m) => m.event === event && match(m));
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match: (m) => m.event === event && match(m),
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
