/** Repository root. */
export declare const ROOT: string;
/** The project's Python virtual environment (`<repo>/.venv`). */
export declare const VENV: string;
/** How to install the pinned Python tools. */
export declare const SETUP: string;
/** True when CI is set (and not "false"/"0"). */
export declare const IN_CI: boolean;

/** How to run moto's server, or undefined when it is not installed. */
export declare function motoCommand(): { file: string; args: string[] } | undefined;

/** The `skip` option of a moto suite: false when installed or in CI (then the suite fails), else the reason. */
export declare function motoSkip(): string | false;

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the endpoint of every SDK client (the serializing proxy's with `serializeRequests`). */
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Forgets every resource (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** moto's in-memory state of every service (`GET /moto-api/data.json`). */
  state(): Promise<Record<string, Record<string, Array<Record<string, unknown>>>>>;
  /** Stops the server process (idempotent). */
  close(): Promise<void>;
}

/** Options of {@link startMotoServer}. */
export interface MotoServerOptions {
  /** How long to wait for the server to listen, in ms. @default 60000 */
  timeoutMs?: number;
  /**
   * Put a proxy in front that hands moto one request at a time (moto's Kinesis backend loses
   * records under concurrent PutRecords: see the module documentation). @default false
   */
  serializeRequests?: boolean;
  /**
   * Python code run before moto's `main()` in `<repo>/.venv/bin/python`: documented corrections of
   * moto where it contradicts the AWS API reference. @default none
   */
  pythonPreamble?: string;
}

/** Starts `moto_server` on 127.0.0.1 on a free port; rejects with how to install moto when it is missing. */
export declare function startMotoServer(options?: MotoServerOptions): Promise<MotoServer>;
