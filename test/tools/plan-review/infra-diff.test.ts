import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { InfraDiffError } from '#tools/plan-review/git.ts';
import { infraDiff, parseArgs } from '#tools/plan-review/infra-diff.ts';
import { COMMENT_MARKER } from '#tools/plan-review/markdown.ts';

/**
 * A tiny "app": synth.mjs turns app.json into cdktf.out/stacks/<stack>/cdk.tf.json and zips src/ into a
 * hash-named asset folder, like cdktf does. The zip carries a random comment, so every synthesis gives
 * different bytes (and a different folder hash) for the same code, as a non-deterministic archiver would.
 */
const SYNTH = `
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
const app = JSON.parse(readFileSync('app.json', 'utf8'));
if (app.fail) { console.error('synth: the app is broken'); process.exit(3); }
function zip(files) {
  const locals = []; const centrals = []; let offset = 0;
  for (const [name, data] of files) {
    const n = Buffer.from(name); const crc = crc32(data);
    const local = Buffer.alloc(30); local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46); central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); central.writeUInt32LE(offset, 42);
    locals.push(local, n, data); centrals.push(central, n); offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals); const comment = Buffer.from(randomUUID());
  const end = Buffer.alloc(22); end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, end, comment]);
}
for (const [stack, resources] of Object.entries(app.stacks)) {
  const dir = 'cdktf.out/stacks/' + stack;
  // Like esbuild: a chunk named after a hash that covers source paths, and a source map with absolute paths.
  const tag = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 8).toUpperCase().replace(/[0189]/g, 'Q');
  const archive = zip([
    ...readdirSync('src').sort().map((f) => [f, readFileSync('src/' + f)]),
    ['index.mjs', Buffer.from('import "./chunks/chunk-' + tag + '.mjs";')],
    ['chunks/chunk-' + tag + '.mjs', Buffer.from('export const shared = 1;')],
    ['index.mjs.map', Buffer.from(JSON.stringify({ sources: [process.cwd() + '/src/handler.js'] }))],
  ]);
  const hash = createHash('sha256').update(archive).digest('hex').slice(0, 32);
  mkdirSync(dir + '/assets/fn-bundle/' + hash, { recursive: true });
  writeFileSync(dir + '/assets/fn-bundle/' + hash + '/archive.zip', archive);
  const resource = structuredClone(resources);
  for (const byName of Object.values(resource)) for (const body of Object.values(byName)) {
    body['//'] = { metadata: { path: stack + '/' + randomUUID(), uniqueId: 'x' } };
    if (body.filename === 'ASSET') {
      body.filename = 'assets/fn-bundle/' + hash + '/archive.zip';
      body.source_code_hash = createHash('sha256').update(archive).digest('base64');
    }
  }
  writeFileSync(dir + '/cdk.tf.json', JSON.stringify({ '//': { metadata: { version: '0.21.0' } }, resource }, null, 2));
}
console.log('synthesized');
`;

const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
// A Terraform reference, as cdktf writes it into policy JSON.
const BUCKET_ARN = ['$', '{aws_s3_bucket.videos.arn}'].join('');

function appV1() {
  return {
    stacks: {
      dev: {
        aws_s3_bucket: { videos: { bucket: '24hv-dev-videos', force_destroy: false } },
        aws_lambda_function: {
          transcode: {
            function_name: '24hv-dev-transcode',
            memory_size: 128,
            filename: 'ASSET',
            runtime: 'nodejs22.x',
          },
        },
        aws_sns_topic: { legacy: { name: '24hv-dev-legacy' } },
        aws_iam_role_policy: {
          transcode: {
            name: 'transcode',
            policy: policy([
              {
                Sid: 'Write',
                Effect: 'Allow',
                Action: ['s3:PutObject'],
                Resource: [`${BUCKET_ARN}/videos/*`],
              },
            ]),
          },
        },
      },
    },
  };
}

function appV2() {
  const app = appV1();
  const dev = app.stacks.dev as Record<string, Record<string, Record<string, unknown>>>;
  (dev.aws_s3_bucket as Record<string, Record<string, unknown>>).videos = {
    bucket: '24hv-dev-videos',
    force_destroy: true,
  };
  delete dev.aws_sns_topic;
  dev.aws_dynamodb_table = { videos: { name: '24hv-dev-videos', hash_key: 'videoId' } };
  (dev.aws_iam_role_policy as Record<string, Record<string, unknown>>).transcode = {
    name: 'transcode',
    policy: policy([
      { Sid: 'Write', Effect: 'Allow', Action: ['s3:*'], Resource: [`${BUCKET_ARN}/videos/*`] },
    ]),
  };
  return app;
}

describe('infra-diff', () => {
  let repo: string;
  const run = (command: string, args: string[]) =>
    execFileSync(command, args, {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
        GIT_CONFIG_GLOBAL: '/dev/null',
      },
    });
  const write = (path: string, content: string) => writeFileSync(join(repo, path), content);
  const commit = (message: string) => {
    run('git', ['add', '-A']);
    run('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message]);
  };
  const worktrees = () => run('git', ['worktree', 'list', '--porcelain']).match(/^worktree /gm)?.length ?? 0;
  const tempWorktrees = () => readdirSync(tmpdir()).filter((name) => name.startsWith('24hv-infra-diff-'));
  let logged: string[];
  const diff = (argv: string[] = []) =>
    infraDiff({
      ...parseArgs(['--synth', 'node synth.mjs', ...argv], repo),
      log: (text) => logged.push(text),
    });

  beforeEach(() => {
    logged = [];
    repo = mkdtempSync(join(tmpdir(), 'infra-diff-repo-'));
    run('git', ['init', '-q', '-b', 'main']);
    write('synth.mjs', SYNTH);
    write('.gitignore', 'cdktf.out/\n');
    mkdirSync(join(repo, 'src'));
    write('src/handler.js', 'export const handler = async () => "v1";\n');
    write('app.json', JSON.stringify(appV1(), null, 2));
    commit('first version');
    run('git', ['checkout', '-q', '-b', 'feature']);
    write('app.json', JSON.stringify(appV2(), null, 2));
    commit('second version');
  });

  afterEach(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  describe('two commits of a small stack', () => {
    it('lists the addition, the removal and the change with its attributes', () => {
      const comment = diff();

      expect(comment.startsWith(COMMENT_MARKER)).to.equal(true);
      expect(comment).to.include('### Stack `dev`: 1 added, 1 removed, 2 changed');
      expect(comment).to.include('**➕ Added (1)**');
      expect(comment).to.match(/\| `aws_dynamodb_table\.videos` \| `hash_key` = `"videoId"`/);
      expect(comment).to.include('> - `aws_sns_topic.legacy`');
      expect(comment).to.match(/\| `aws_s3_bucket\.videos` \| `force_destroy`: `false` → `true` \|/);
    });

    it('reports IAM statement changes and the new wildcard', () => {
      const comment = diff();

      const line = comment.split('\n').find((l) => l.startsWith('- `aws_iam_role_policy.transcode`'));
      expect(line).to.include('statement `Write`');
      expect(line).to.include('⚠️ **new wildcard:** `s3:*`');
      expect(line).to.include('**− actions** `s3:PutObject`');
    });

    it('shows no change for a rebuilt asset whose content is the same, nor for construct metadata', () => {
      const comment = diff();

      expect(comment).not.to.include('aws_lambda_function.transcode');
      expect(comment).not.to.include('uniqueId');
      const folders = readdirSync(join(repo, 'cdktf.out/stacks/dev/assets/fn-bundle'));
      run('node', ['synth.mjs']);
      expect(readdirSync(join(repo, 'cdktf.out/stacks/dev/assets/fn-bundle'))).not.to.deep.equal(folders);
    });

    it('shows the code change when the bundled source changed in the working tree', () => {
      write('src/handler.js', 'export const handler = async () => "v2";\n');

      const comment = diff();

      const row = comment.split('\n').find((l) => l.startsWith('| `aws_lambda_function.transcode`'));
      expect(row).to.match(/`filename`: `"assets\/fn-bundle\/<content [0-9a-f]{12}>\/archive\.zip"` → /);
      expect(row).to.include('`source_code_hash`');
    });
  });

  describe('base selection', () => {
    it('falls back to the merge base with main, and says so, when origin/main does not exist', () => {
      const comment = diff();

      expect(comment).to.include('merge base with main');
      expect(comment).to.include('origin/main does not exist here');
      expect(logged.join('')).to.include('origin/main does not exist here');
    });

    it('shows every stack as added when the base has no synth script yet', () => {
      write(
        'package.json',
        JSON.stringify({ name: 'tiny', private: true, scripts: { synth: 'node synth.mjs' } }),
      );
      commit('add the synth script');

      const comment = infraDiff({ ...parseArgs([], repo), log: (text) => logged.push(text) });

      expect(comment).to.include('has no synth script, so every stack shows as added');
      expect(comment).to.include('| `dev` (stack added) | 4 | 0 | 0 |');
    });

    it('compares with the given --base', () => {
      const comment = diff(['--base', 'HEAD']);

      expect(comment).to.include('### Stack `dev`: 0 added, 0 removed, 0 changed');
      expect(comment).to.include('No changes to the synthesized configuration.');
    });

    it('fails clearly for a base that does not exist', () => {
      expect(() => diff(['--base', 'no-such-branch'])).to.throw(
        InfraDiffError,
        /no-such-branch is not a commit/,
      );
    });

    it('rejects unknown arguments', () => {
      expect(() => parseArgs(['--bse', 'main'])).to.throw(InfraDiffError, /Unknown argument --bse/);
    });
  });

  describe('worktree', () => {
    it('removes the temporary worktree after the diff', () => {
      const before = tempWorktrees().length;

      diff();

      expect(worktrees()).to.equal(1);
      expect(tempWorktrees().length).to.equal(before);
      expect(existsSync(join(repo, 'cdktf.out/stacks/dev/cdk.tf.json'))).to.equal(true);
    });

    it('removes the worktree and names the failing side when the base does not synthesize', () => {
      const app = appV1() as Record<string, unknown>;
      run('git', ['checkout', '-q', 'main']);
      write('app.json', JSON.stringify({ ...app, fail: true }));
      commit('broken');
      run('git', ['checkout', '-q', 'feature']);
      const before = tempWorktrees().length;

      expect(() => diff(['--base', 'main'])).to.throw(
        InfraDiffError,
        /Synthesizing the base, main .*synth: the app is broken/s,
      );
      expect(worktrees()).to.equal(1);
      expect(tempWorktrees().length).to.equal(before);
    });
  });
});
