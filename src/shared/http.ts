import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Answers `res` with `body` as JSON, on node:http itself (the routes served ahead of express, the server's own answers). */
export function answerJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
