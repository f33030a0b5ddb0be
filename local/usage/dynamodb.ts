import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { JsonObject } from '#shared/json';
import {
  failedConditionUnits,
  type IndexShape,
  type ItemJson,
  indexWriteUnits,
  writeUnits,
} from './dynamodb-capacity.ts';
import type { UsageMeter } from './meter.ts';
import { METER_APP_ID, requesterOf } from './requester.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type Forwarded = { readonly status: number; readonly body: string; readonly release: () => void };

interface TableShape {
  readonly keys: readonly string[];
  readonly indexes: readonly IndexShape[];
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

/**
 * Meters a dynalite server: every data request is counted in request units, per requester (the SDK's
 * app id, see `requesterOf`). Writes are priced by the rules of `./dynamodb-capacity.ts` from the item read
 * just before and just after (dynalite counts neither index writes nor failed conditions), one write per
 * item at a time; reads by dynalite's own `ConsumedCapacity` of the same request asked again, which follows
 * DynamoDB's rules (4 KB units, half when eventually consistent, Query and Scan by the total size read).
 * BatchWriteItem and transactions are not counted: nothing in the pipeline uses them (and dynalite has no
 * transactions).
 */
export function meterDynamoDB(server: Server, meter: UsageMeter, region: string): void {
  const serve = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  let client: DynamoDBClient | undefined;
  const internal = () => {
    client ??= new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      userAgentAppId: METER_APP_ID,
    });
    return client;
  };
  server.once('close', () => client?.destroy());
  const tables = new Map<string, Promise<TableShape>>();
  const shape = (table: string): Promise<TableShape> => {
    let found = tables.get(table);
    if (!found) {
      found = internal()
        .send(new DescribeTableCommand({ TableName: table }))
        .then(({ Table }) => ({
          keys: (Table?.KeySchema ?? []).map((k) => String(k.AttributeName)),
          indexes: (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
            name: String(index.IndexName),
            keys: (index.KeySchema ?? []).map((k) => String(k.AttributeName)),
            projection: (index.Projection?.ProjectionType ?? 'ALL') as IndexShape['projection'],
            ...(index.Projection?.NonKeyAttributes && {
              nonKeyAttributes: index.Projection.NonKeyAttributes,
            }),
          })),
        }));
      found.catch(() => tables.delete(table));
      tables.set(table, found);
    }
    return found;
  };
  const read = async (table: string, key: ItemJson): Promise<ItemJson | undefined> =>
    (
      await internal().send(
        new GetItemCommand({
          TableName: table,
          Key: key as Record<string, AttributeValue>,
          ConsistentRead: true,
        }),
      )
    ).Item as ItemJson | undefined;
  const locks = new Map<string, Promise<unknown>>();
  const locked = <T>(id: string, work: () => Promise<T>): Promise<T> => {
    const run = (locks.get(id) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    locks.set(id, tail);
    void tail.then(() => {
      if (locks.get(id) === tail) locks.delete(id);
    });
    return run;
  };

  // The response is held until the request is counted, so a caller that has its answer sees it metered.
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<Forwarded> =>
    new Promise((resolve) => {
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        resolve({
          status: res.statusCode,
          body: typeof args[0] === 'string' ? args[0] : String(args[0] ?? ''),
          release: () => end(...args),
        });
        return res;
      }) as ServerResponse['end'];
      const replay = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
        headers: req.headers,
        method: req.method,
        url: req.url,
        socket: req.socket,
        httpVersion: req.httpVersion,
      }) as unknown as IncomingMessage;
      for (const listener of serve) listener.call(server, replay, res);
    });

  const write = async (
    operation: string,
    input: JsonObject,
    requester: string,
    run: () => ReturnType<typeof forward>,
  ) => {
    const table = String(input.TableName);
    const known = await shape(table).catch(() => undefined);
    const source = (operation === 'PutItem' ? input.Item : input.Key) as ItemJson | undefined;
    if (!known || !source) return run();
    const { keys, indexes } = known;
    const key = Object.fromEntries(keys.map((name) => [name, source[name] ?? {}])) as ItemJson;
    return locked(`${table}\n${JSON.stringify(key)}`, async () => {
      const before = await read(table, key).catch(() => undefined);
      const response = await run();
      if (response.status === 200) {
        const after = await read(table, key).catch(() => undefined);
        meter.dynamodbRequest(requester, {
          kind: 'write',
          units: writeUnits(before, after),
          indexWriteUnits: indexes.reduce(
            (sum, index) => sum + indexWriteUnits(before, after, index, keys),
            0,
          ),
        });
      } else if (response.body.includes('ConditionalCheckFailedException')) {
        meter.dynamodbRequest(requester, { kind: 'write', units: failedConditionUnits(before) });
      }
      return response;
    });
  };

  const consumed = async (operation: string, input: JsonObject): Promise<number> => {
    const ask = { ...input, ReturnConsumedCapacity: 'TOTAL' };
    const capacity =
      operation === 'GetItem'
        ? (await internal().send(new GetItemCommand(ask as never))).ConsumedCapacity
        : operation === 'Query'
          ? (await internal().send(new QueryCommand(ask as QueryCommandInput))).ConsumedCapacity
          : operation === 'Scan'
            ? (await internal().send(new ScanCommand(ask as ScanCommandInput))).ConsumedCapacity
            : (await internal().send(new BatchGetItemCommand(ask as BatchGetItemCommandInput)))
                .ConsumedCapacity;
    return [capacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const requester = requesterOf(req.headers);
      const run = () => forward(req, res, body);
      let input: JsonObject | undefined;
      try {
        input = JSON.parse(body.toString('utf8')) as JsonObject;
      } catch {
        input = undefined;
      }
      if (requester === METER_APP_ID || !input || !(WRITES.has(operation) || READS.has(operation))) {
        void run().then((response) => response.release());
        return;
      }
      const request = input;
      const counted = WRITES.has(operation)
        ? write(operation, request, requester, run)
        : run().then(async (response) => {
            if (response.status === 200) {
              const units = await consumed(operation, request).catch(() => undefined);
              if (units !== undefined) meter.dynamodbRequest(requester, { kind: 'read', units });
            }
            return response;
          });
      void counted.then((response) => response.release());
    });
  });
}
