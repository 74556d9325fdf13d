/** Stable codes of {@link ProducerError}. */
export type ProducerErrorCode =
  /** The record fails the contract (the message is the validator's reason). */
  | 'RECORD_INVALID'
  /** The serialized record (data + partition key) is over `maxRecordBytes`. */
  | 'RECORD_TOO_LARGE'
  /** `partitionKey(record)` did not return a string of 1–256 characters. */
  | 'INVALID_PARTITION_KEY'
  /** `send` after `close()`. */
  | 'PRODUCER_CLOSED'
  /** Bad producer options. */
  | 'INVALID_OPTIONS'
  /** The contract given to the producer cannot be compiled to a validator. */
  | 'INVALID_CONTRACT';

/** An error a producer's caller can act on (rejected record, bad options). */
export class ProducerError extends Error {
  readonly code: ProducerErrorCode;
  constructor(code: ProducerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProducerError';
    this.code = code;
  }
}
