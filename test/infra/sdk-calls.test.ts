import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { iamAction } from '#infra/aspects/iam-actions.ts';
import type { FunctionCalls } from '#shared/iam';
import { grantHint, loadFunctionCalls, permissionsFile } from '../support/function-calls.ts';
import {
  bundledFiles,
  type FoundCall,
  handlerFile,
  repositoryProgram,
  SdkCallScanner,
} from '../support/sdk-calls.ts';

describe('AWS calls: each function lists exactly the calls its bundle can send', () => {
  const calls = new Map<string, FunctionCalls>();
  const found = new Map<string, FoundCall[]>();
  let missing: string[] = [];

  before(async function () {
    this.timeout(120_000);
    const loaded = await loadFunctionCalls();
    missing = loaded.missing;
    for (const [name, list] of loaded.calls) calls.set(name, list);
    const files = new Map<string, string[]>();
    for (const name of [...calls.keys(), ...missing]) files.set(name, await bundledFiles(name));
    const scanner = new SdkCallScanner(repositoryProgram([...new Set([...files.values()].flat())]));
    for (const [name, bundled] of files) found.set(name, scanner.callsFrom(handlerFile(name), bundled));
  });

  it('finds a list of calls in every function folder', () => {
    expect(
      missing.map((name) => `${permissionsFile(name)}: export CALLS (a FunctionCalls from #shared/iam)`),
    ).to.deep.equal([]);
  });

  it('names only actions the Service Authorization Reference knows, spelled as AWS does', () => {
    const wrong = [...calls].flatMap(([name, list]) =>
      list
        .filter((call) => iamAction(call.action)?.name !== call.action)
        .map(
          (call) =>
            `${permissionsFile(name)}: "${call.action}" (${iamAction(call.action)?.name ?? 'unknown'})`,
        ),
    );
    expect(wrong).to.deep.equal([]);
  });

  it('lists every call the code sends', () => {
    const unlisted = [...found].flatMap(([name, sent]) =>
      sent
        .filter((call) => !(calls.get(name) ?? []).some((listed) => listed.action === call.action))
        .map(
          (call) =>
            `${name}: ${call.via} at ${call.at} sends ${call.action}. Add { action: '${call.action}', on: … } to ${permissionsFile(name)} and grant it with ${grantHint(call.action)}.`,
        ),
    );
    expect(unlisted, 'calls the code sends that its list does not name').to.deep.equal([]);
  });

  it('lists no call the code does not send (or cause)', () => {
    const unsent = [...calls].flatMap(([name, list]) => {
      const sent = new Set((found.get(name) ?? []).map((call) => call.action));
      return list
        .filter((call) => !sent.has(call.causedBy ?? call.action))
        .map(
          (call) =>
            `${name}: ${permissionsFile(name)} lists ${call.action}${call.causedBy ? ` (caused by ${call.causedBy})` : ''}, which no code of its bundle sends. Remove it, and its grant: ${grantHint(call.action)}.`,
        );
    });
    expect(unsent, 'listed calls nothing sends').to.deep.equal([]);
  });

  it('finds the known calls of update-video-list and list-videos (the scan is not empty)', () => {
    const actions = (name: string) => [...new Set((found.get(name) ?? []).map((c) => c.action))].sort();
    expect(actions('update-video-list')).to.deep.equal(['dynamodb:UpdateItem']);
    expect(actions('list-videos')).to.deep.equal(['dynamodb:Query', 's3:GetObject']);
  });
});

describe('SdkCallScanner', () => {
  let dir: string;
  let calls: (entry: string, bundled: readonly string[]) => string[];

  before(function () {
    this.timeout(30_000);
    dir = mkdtempSync(join(tmpdir(), 'sdk-calls-'));
    const files: Record<string, string> = {
      'store.ts': `
        import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
        export interface Base { get(id: string): Promise<unknown> }
        export interface Store extends Base { put(id: string): Promise<void>; list(): Promise<void> }
        export class DynamoStore implements Store {
          constructor(private readonly client: { send(c: unknown): Promise<unknown> }) {}
          get(id: string) { return this.client.send(new GetCommand({ TableName: 't', Key: { id } })); }
          async put(id: string) { await this.write(new PutCommand({ TableName: 't', Item: { id } })); }
          async list() { await this.client.send(new QueryCommand({ TableName: 't' })); }
          private async write(command: unknown) { await this.client.send(command); }
        }
        export const createStore = () => new DynamoStore({ send: async () => ({}) });`,
      'unused.ts': `
        import { DeleteObjectCommand } from '@aws-sdk/client-s3';
        export function purge() { return new DeleteObjectCommand({ Bucket: 'b', Key: 'k' }); }`,
      'upload.ts': `
        import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
        export const sign = (client: never) => createPresignedPost(client, { Bucket: 'b', Key: 'k' });`,
      'reader.ts': `
        import type { Store } from './store.ts';
        import { createStore } from './store.ts';
        import { purge } from './unused.ts';
        const store: Pick<Store, 'get'> = createStore();
        export const handler = async () => store.get('x');`,
      'writer.ts': `
        import { createStore } from './store.ts';
        import { sign } from './upload.ts';
        const deps = { store: createStore(), sign };
        export async function handler() { await deps.store.put('x'); await deps.sign(undefined as never); }`,
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const scanner = new SdkCallScanner(repositoryProgram(Object.keys(files).map((name) => join(dir, name))));
    // The files of the "bundle" run their top-level code; their declarations run only when named.
    calls = (entry, bundled) =>
      [
        ...new Set(
          scanner
            .callsFrom(
              join(dir, entry),
              bundled.map((name) => join(dir, name)),
            )
            .map((c) => c.action),
        ),
      ].sort();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('follows a call through an interface (via Pick and an extended interface) to the implementing method only, and ignores imported functions never named', () => {
    expect(calls('reader.ts', ['reader.ts', 'store.ts', 'unused.ts'])).to.deep.equal(['dynamodb:GetItem']);
  });

  it('finds a command handed to a private method, and a presigned POST passed as a value', () => {
    expect(calls('writer.ts', ['writer.ts', 'store.ts', 'upload.ts'])).to.deep.equal([
      'dynamodb:PutItem',
      's3:PutObject',
    ]);
  });
});
