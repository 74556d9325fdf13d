/**
 * The wire layer shared by the Glue emulator's services: the API error, the readers of the JSON
 * input (`obj`, `str`), pagination, and the table of operations a service serves.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** An error answered as `{"__type": type, "Message": message}` with HTTP `status`. */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** One operation: the JSON input in, the JSON output out (or an {@link ApiError} thrown). */
export type Operation = (input: Record<string, unknown>) => unknown;

/** The operations `names` of `service` (methods named after the operation), bound to it. */
export function operationTable<S extends object>(
  service: S,
  names: ReadonlyArray<keyof S & string>,
): Map<string, Operation> {
  return new Map(names.map((name) => [name, (service[name] as Operation).bind(service)]));
}

/** Writes a JSON answer. */
export function writeJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  contentType: string,
  errorType?: string,
): void {
  const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-requestid': randomUUID() };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers).end(JSON.stringify(payload));
}

export function obj(value: unknown, name: string, required: boolean): Record<string, unknown> | undefined {
  if (value === undefined && !required) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ApiError('InvalidInputException', `${name} is required`);
  return value as Record<string, unknown>;
}

export function str(input: Record<string, unknown>, name: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw new ApiError('InvalidInputException', `${name} is required`);
  return v;
}

export function paginate<T>(items: T[], input: Record<string, unknown>): { items: T[]; next?: string } {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : 25;
  if (max < 1 || max > 100) throw new ApiError('InvalidInputException', 'MaxResults must be 1-100');
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
  const end = start + max;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}
