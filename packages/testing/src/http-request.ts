import http from 'node:http';

/** An HTTP answer, read whole. */
export interface BufferedResponse {
  /** The status code (502 when the answer has none). */
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends one request with `body` (its `content-length` set) and reads the whole answer: how the
 * test proxies forward a call to the service behind them. Rejects on a connection or read error.
 */
export function requestBuffered(options: http.RequestOptions, body: Buffer): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { ...options, headers: { ...options.headers, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
