/**
 * The producer's ready queue: the accepted records waiting to be sent, in the order they go out.
 * One type per ordering mode — {@link UnorderedQueue} (retries first, then fresh records) and
 * {@link OrderedQueue} (a FIFO per partition key, at most one record of a key out at a time) —
 * behind one interface, so the producer never asks which mode it is in.
 */

/** An accepted record on its way to the stream. */
export interface Entry<T> {
  /** Acceptance order (1, 2, …): `flush` waits for the records accepted before it. */
  seq: number;
  record: T;
  key: string;
  /** The UTF-8 JSON sent. */
  data: Uint8Array;
  /** Data + partition key bytes. */
  bytes: number;
  /** When it became ready (the linger counts from here). */
  readyAt: number;
  /** Delivered or reported undelivered by then. */
  deadline: number;
  /** PutRecords attempts made. */
  attempts: number;
  lastError: string | undefined;
}

/** Limits of one PutRecords call. */
export interface BatchLimits {
  maxBatchRecords: number;
  maxBatchBytes: number;
}

/** The records ready to be sent, whatever the ordering mode. */
export interface ReadyQueue<T> {
  /** Records (ordered: keys) ready to be sent now. */
  readonly size: number;
  /** Enough is ready for a full PutRecords call: no reason to linger. */
  full(): boolean;
  /** When the oldest ready record became ready (0: a retry, due now; `Infinity`: nothing ready). */
  oldestReadyAt(): number;
  /** Adds a newly accepted record. */
  push(entry: Entry<T>): void;
  /**
   * Takes the next batch within the limits. Records past their deadline (`deadline <= now`) are
   * taken out and given to `expire` instead of the batch.
   */
  take(now: number, expire: (entry: Entry<T>) => void): Entry<T>[];
  /** A record taken in a batch is done (delivered or given up): its key may send again. */
  settle(entry: Entry<T>): void;
  /** Records of a failed attempt are ready again, ahead of the others. */
  requeue(entries: Entry<T>[]): void;
}

/** The ready queue of the ordering mode. */
export function createReadyQueue<T>(ordered: boolean, limits: BatchLimits): ReadyQueue<T> {
  return ordered ? new OrderedQueue<T>(limits) : new UnorderedQueue<T>(limits);
}

/** An array consumed from a head index (O(1) shift), compacted once the consumed part dominates. */
class Fifo<V> {
  private items: V[] = [];
  private head = 0;

  constructor(private readonly compactAfter: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  peek(): V | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  push(value: V): void {
    this.items.push(value);
  }

  shift(): V | undefined {
    if (this.head >= this.items.length) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined as V; // let the record be collected
    this.head++;
    return value;
  }

  /** Puts `values` in front, in their order. */
  prepend(values: V[]): void {
    this.items = values.concat(this.items.slice(this.head));
    this.head = 0;
  }

  compact(): void {
    if (this.head > this.compactAfter && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** Any order: records awaiting a retry go first, then fresh records in acceptance order. */
export class UnorderedQueue<T> implements ReadyQueue<T> {
  private readonly fresh = new Fifo<Entry<T>>(4096);
  private retries: Entry<T>[] = [];
  /** Bytes of the ready records. */
  private bytes = 0;

  constructor(private readonly limits: BatchLimits) {}

  get size(): number {
    return this.fresh.size + this.retries.length;
  }

  full(): boolean {
    return this.size >= this.limits.maxBatchRecords || this.bytes >= this.limits.maxBatchBytes;
  }

  oldestReadyAt(): number {
    if (this.retries.length > 0) return 0;
    return this.fresh.peek()?.readyAt ?? Infinity;
  }

  push(entry: Entry<T>): void {
    this.fresh.push(entry);
    this.bytes += entry.bytes;
  }

  take(now: number, expire: (entry: Entry<T>) => void): Entry<T>[] {
    const batch: Entry<T>[] = [];
    let bytes = 0;
    while (batch.length < this.limits.maxBatchRecords) {
      const fromRetry = this.retries.length > 0;
      const e = fromRetry ? this.retries[0] : this.fresh.peek();
      if (!e) break;
      if (e.deadline > now && batch.length > 0 && bytes + e.bytes > this.limits.maxBatchBytes) break;
      if (fromRetry) this.retries.shift();
      else this.fresh.shift();
      this.bytes -= e.bytes;
      if (e.deadline <= now) {
        expire(e);
        continue;
      }
      batch.push(e);
      bytes += e.bytes;
    }
    this.fresh.compact();
    return batch;
  }

  settle(): void {
    // Keys do not matter in this mode.
  }

  requeue(entries: Entry<T>[]): void {
    for (const e of entries) this.bytes += e.bytes;
    this.retries = this.retries.length === 0 ? entries : this.retries.concat(entries);
  }
}

/**
 * Per-partition-key order: a FIFO per key, and a key with a record in flight or awaiting retry is
 * busy (not ready) until that record is done, so a later record of a key never overtakes an earlier one.
 */
export class OrderedQueue<T> implements ReadyQueue<T> {
  private readonly byKey = new Map<string, Entry<T>[]>();
  private readonly busy = new Set<string>();
  /** Keys whose first record is ready, in the order they became ready. */
  private readonly readyKeys = new Fifo<string>(1024);

  constructor(private readonly limits: BatchLimits) {}

  get size(): number {
    return this.readyKeys.size;
  }

  full(): boolean {
    return this.size >= this.limits.maxBatchRecords;
  }

  oldestReadyAt(): number {
    const key = this.readyKeys.peek();
    return key === undefined ? Infinity : (this.byKey.get(key)?.[0]?.readyAt ?? Infinity);
  }

  push(entry: Entry<T>): void {
    const queue = this.queueOf(entry.key);
    queue.push(entry);
    if (queue.length === 1 && !this.busy.has(entry.key)) this.readyKeys.push(entry.key);
  }

  take(now: number, expire: (entry: Entry<T>) => void): Entry<T>[] {
    const batch: Entry<T>[] = [];
    let bytes = 0;
    while (batch.length < this.limits.maxBatchRecords && this.readyKeys.size > 0) {
      const key = this.readyKeys.peek()!;
      const queue = this.byKey.get(key)!;
      const e = queue[0]!;
      if (e.deadline <= now) {
        // Expired: report it and move on to the key's next record.
        this.shiftRecord(key, queue, true);
        expire(e);
        continue;
      }
      if (batch.length > 0 && bytes + e.bytes > this.limits.maxBatchBytes) break;
      this.shiftRecord(key, queue, false);
      this.busy.add(key);
      batch.push(e);
      bytes += e.bytes;
    }
    this.readyKeys.compact();
    return batch;
  }

  settle(entry: Entry<T>): void {
    this.busy.delete(entry.key);
    const queue = this.byKey.get(entry.key);
    if (queue && queue.length > 0) this.readyKeys.push(entry.key);
  }

  requeue(entries: Entry<T>[]): void {
    const front: string[] = [];
    for (const e of entries) {
      // The key's later records wait behind this one (the key left readyKeys when it became busy).
      this.busy.delete(e.key);
      this.queueOf(e.key).unshift(e);
      front.push(e.key);
    }
    this.readyKeys.prepend(front);
  }

  private queueOf(key: string): Entry<T>[] {
    let queue = this.byKey.get(key);
    if (!queue) {
      queue = [];
      this.byKey.set(key, queue);
    }
    return queue;
  }

  /**
   * Removes the key's first record. An expired record leaves the key ready with its next record
   * (if any); a record taken for sending takes the key out of the ready keys.
   */
  private shiftRecord(key: string, queue: Entry<T>[], expired: boolean): void {
    queue.shift();
    if (queue.length === 0) this.byKey.delete(key);
    if (!expired || queue.length === 0) this.readyKeys.shift();
  }
}
